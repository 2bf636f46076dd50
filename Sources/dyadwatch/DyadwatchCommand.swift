import ArgumentParser
import DyadConfig

/// `dyadwatch`: watches how the news covers China–Russia relations.
@main
struct DyadwatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dyadwatch",
        abstract: "Watch how the news covers China–Russia relations.",
        version: ProductInfo.version,
        subcommands: [
            RunCommand.self,
            PollCommand.self,
            ReplayCommand.self,
            StatusCommand.self,
            CheckConfigCommand.self,
            LoadConfigCommand.self,
            ParseCommand.self,
            ExtractCommand.self,
            AnalyzeCommand.self,
            TrainCommand.self,
            ReportCommand.self,
            ArticlesCommand.self,
            MigrateCommand.self,
        ]
    )
}
