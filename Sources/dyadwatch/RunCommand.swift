import ArgumentParser

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon: poll feeds, analyze, detect shifts, write alerts.")
    func run() async throws {
        throw ValidationError("'run' is not built yet")
    }
}
