import ArgumentParser

struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "poll", abstract: "Poll due feeds once and store new entries.")
    func run() async throws {
        throw ValidationError("'poll' is not built yet")
    }
}
