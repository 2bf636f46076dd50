import ArgumentParser

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Replay saved feed snapshots through the pipeline with a simulated clock.")
    func run() async throws {
        throw ValidationError("'replay' is not built yet")
    }
}
