import ArgumentParser

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show feed health, today's counts and the last alerts.")
    func run() async throws {
        throw ValidationError("'status' is not built yet")
    }
}
