// swift-tools-version:6.0
// libFuzzer targets for dyadwatch's parsers. A package of its own so the main build (and CI) never
// compiles them; it uses the main package's modules by path. Build and run with scripts/fuzz.sh.
import PackageDescription

let package = Package(
    name: "dyadwatch-fuzz",
    dependencies: [.package(name: "dyadwatch", path: "..")],
    targets: [
        // Declares libFuzzer's entry point (`LLVMFuzzerRunDriver`) for Swift.
        .target(name: "CFuzzer"),
        .executableTarget(name: "FuzzFeedParser", dependencies: ["CFuzzer", .product(name: "FeedParsing", package: "dyadwatch")]),
        .executableTarget(name: "FuzzConfig", dependencies: ["CFuzzer", .product(name: "DyadConfig", package: "dyadwatch")]),
        .executableTarget(name: "FuzzAnalyzer", dependencies: ["CFuzzer", .product(name: "ArticleAnalysis", package: "dyadwatch")]),
        .executableTarget(name: "FuzzDates", dependencies: ["CFuzzer", .product(name: "FeedParsing", package: "dyadwatch")]),
        .executableTarget(name: "FuzzExtractor", dependencies: ["CFuzzer", .product(name: "ArticleExtraction", package: "dyadwatch")]),
        .executableTarget(name: "FuzzRobots", dependencies: ["CFuzzer", .product(name: "FeedFetching", package: "dyadwatch")]),
    ]
)
