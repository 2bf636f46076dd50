import ArgumentParser

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Validate feeds.conf and print every problem with file, line and key.")
    func run() async throws {
        throw ValidationError("'check-config' is not built yet")
    }
}
