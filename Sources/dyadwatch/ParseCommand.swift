import ArgumentParser

struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "Parse feed files and print a summary or JSON lines.")
    func run() async throws {
        throw ValidationError("'parse' is not built yet")
    }
}
