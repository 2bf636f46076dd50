import ArgumentParser

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze", abstract: "Analyze articles: entities, dyad, stance, tone, frames.")
    func run() async throws {
        throw ValidationError("'analyze' is not built yet")
    }
}
