// swift-tools-version:6.0
// dyadwatch: watches how the news covers China–Russia relations.
//
// One library module per pipeline stage, in the order data flows:
//   FeedFetching → FeedParsing → FeedStorage → ArticleAnalysis → Trends → Alerts
// wired together by Pipeline (one pipeline, two clocks: live and replay), run by Daemon,
// and driven from the `dyadwatch` command line. DyadCore holds the types the stages share.
import PackageDescription

let package = Package(
    name: "dyadwatch",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex
    products: [
        .executable(name: "dyadwatch", targets: ["dyadwatch"]),
        // For the fuzz package (Fuzz/), which builds these with sanitizers, outside the main build.
        .library(name: "FeedParsing", targets: ["FeedParsing"]),
        .library(name: "DyadConfig", targets: ["DyadConfig"]),
        .library(name: "ArticleAnalysis", targets: ["ArticleAnalysis"]),
        .library(name: "ArticleExtraction", targets: ["ArticleExtraction"]),
        .library(name: "FeedFetching", targets: ["FeedFetching"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Metrics for the HTTP endpoint (issue 11): small, no SwiftNIO, short CI builds.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The HTTP endpoint's server (issue 11): HummingbirdCore on SwiftNIO's HTTP/1 parser.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // PostgreSQL as the shared store (issue 13); linked only by PostgresStorage's users.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // System libraries (Debian: libxml2-dev, libcurl4-openssl-dev; scripts/bootstrap.sh installs them).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Shared value types: parsed feeds, articles, analysis results, clocks.
        .target(name: "DyadCore"),
        // feeds.conf (TOML) loading and validation with file/line/key diagnostics.
        .target(name: "DyadConfig", dependencies: ["DyadCore", "TOMLKit"]),
        // Stage 1: HTTP fetching on libcurl (multi interface), bounded and defensive.
        .target(name: "FeedFetching", dependencies: ["DyadCore", "CCurl", .product(name: "Logging", package: "swift-log")]),
        // Stage 2: RSS/Atom/RDF/JSON Feed parsing on libxml2.
        // (Exclusivity checks off: its SAX callbacks and tree walks are hot and single-owner.)
        .target(name: "FeedParsing", dependencies: ["DyadCore", "CLibXML2"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Article pages: main text and metadata on libxml2's HTML parser (readability-style scoring).
        .target(name: "ArticleExtraction", dependencies: ["CLibXML2", "CZlib", "FeedParsing"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Stage 3: durable state and de-duplication in SQLite.
        .target(name: "FeedStorage", dependencies: ["DyadCore", "DyadConfig", .product(name: "GRDB", package: "GRDB.swift")]),
        // Stage 4: entities, dyad, stance, tone, frames; data files under Resources/.
        // (Exclusivity checks off: each scan and batch worker belongs to one thread; the checks
        // on their arrays were a visible share of `analyze --jsonl`.)
        .target(name: "ArticleAnalysis", dependencies: ["DyadCore"], resources: [.copy("Resources")],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Stage 5: time-bucket aggregates and shift detectors.
        .target(name: "Trends", dependencies: ["DyadCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Stage 6: alert log/outbox delivery and trend files.
        .target(name: "Alerts", dependencies: ["DyadCore", "Trends", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")]),
        // The stages' storage protocols on PostgreSQL (postgres-nio): one database shared by several
        // daemons, feeds claimed by lease. Its own module so that only the daemon links SwiftNIO.
        .target(name: "PostgresStorage", dependencies: ["DyadCore", "DyadConfig", "FeedStorage", "Trends", "Alerts",
                                                       .product(name: "PostgresNIO", package: "postgres-nio"),
                                                       .product(name: "NIOCore", package: "swift-nio"),
                                                       .product(name: "NIOPosix", package: "swift-nio"),
                                                       .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                       .product(name: "Logging", package: "swift-log")]),
        // The trend page: self-contained HTML (inline SVG) from the trend aggregates and alerts.
        .target(name: "TrendReport", dependencies: ["DyadCore", "Trends", "Alerts", .product(name: "GRDB", package: "GRDB.swift")]),
        // Operational metrics: names and one-line hooks on swift-metrics (no-ops unless bootstrapped).
        .target(name: "Telemetry", dependencies: [.product(name: "CoreMetrics", package: "swift-metrics")]),
        // The daemon's optional HTTP endpoint: /metrics, /healthz, the trend page, JSON API.
        .target(name: "HTTPEndpoint", dependencies: [
            "DyadCore", "DyadConfig", "Telemetry", "TrendReport", "Trends", "Alerts", "FeedStorage", "Daemon", "Pipeline",
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ]),
        // One pipeline (fetch → … → alerts) used by poll, replay and the daemon.
        .target(name: "Pipeline", dependencies: [
            "DyadCore", "DyadConfig", "FeedFetching", "FeedParsing", "FeedStorage", "ArticleExtraction",
            "ArticleAnalysis", "Trends", "Alerts", "TrendReport", "Telemetry", .product(name: "Logging", package: "swift-log"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Long-running service: Dispatch scheduler, signals, sd_notify, watchdog.
        .target(name: "Daemon", dependencies: ["DyadCore", "DyadConfig", "Pipeline", "FeedFetching", "FeedStorage", "ArticleAnalysis", "Trends", "Alerts",
                                              "Telemetry", "PostgresStorage",
                                              .product(name: "Logging", package: "swift-log")]),
        // The command line. Release builds on Linux link the Swift runtime and Foundation statically
        // (what `--static-swift-stdlib` does, for this binary only): no dynamic loading and symbol
        // binding of a dozen runtime libraries at every start — a third of `dyadwatch --version`.
        // The compile flag makes this module's objects name the static libraries to link.
        // Debug builds, and so the test bundles, stay dynamic (XCTest links the shared runtime).
        .executableTarget(name: "dyadwatch", dependencies: [
            "DyadCore", "DyadConfig", "FeedParsing", "FeedStorage", "ArticleAnalysis",
            "Trends", "Alerts", "Pipeline", "Daemon", "ArticleExtraction", "TrendReport", "HTTPEndpoint", "PostgresStorage",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
        linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]),

        .testTarget(name: "FeedParsingTests", dependencies: ["FeedParsing", "DyadCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ArticleExtractionTests", dependencies: ["ArticleExtraction", "FeedParsing", "TestSupport"]),
        .testTarget(name: "FeedFetchingTests", dependencies: ["FeedFetching", "DyadCore", "DyadConfig", "TestSupport"]),
        .testTarget(name: "FeedStorageTests", dependencies: ["FeedStorage", "DyadCore", "DyadConfig", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "DyadConfigTests", dependencies: ["DyadConfig", "DyadCore", "TestSupport"]),
        .testTarget(name: "ArticleAnalysisTests", dependencies: ["ArticleAnalysis", "DyadCore"]),
        .testTarget(name: "TrendsTests", dependencies: ["Trends", "Alerts", "DyadCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "DyadCore", "DyadConfig", "FeedStorage", "FeedFetching", "FeedParsing", "ArticleExtraction", "Trends", "Alerts", "TestSupport",
                                                         "StorageConformance", "PostgresStorage",
                                                         .product(name: "Logging", package: "swift-log")],
                    exclude: ["ReplayFixtures", "FulltextFixtures", "WorkedExample"]),  // read by path (#filePath), not bundled
        // Depends on the executable so `swift build --build-tests` builds the binary its tests start.
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "DyadCore", "DyadConfig", "FeedFetching", "FeedStorage", "Trends", "Alerts",
                                                       "Pipeline", "TestSupport", "dyadwatch", "StorageConformance", "PostgresStorage",
                                                       .product(name: "GRDB", package: "GRDB.swift"),
                                                       .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "TrendReportTests", dependencies: ["TrendReport", "Trends", "Alerts", "DyadCore", "Pipeline", "TestSupport",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", .product(name: "MetricsTestKit", package: "swift-metrics")]),
        .testTarget(name: "HTTPEndpointTests", dependencies: ["HTTPEndpoint", "Telemetry", "DyadCore", "TestSupport"]),
        // One conformance suite for every storage backend (FeedStoring, TrendTables, OutboxTables).
        .target(name: "StorageConformance", dependencies: ["DyadCore", "DyadConfig", "FeedStorage", "Trends", "Alerts", "PostgresStorage",
                                                          "Pipeline", "FeedFetching", .product(name: "Logging", package: "swift-log")],
                path: "Tests/StorageConformance"),
        .testTarget(name: "StorageConformanceTests", dependencies: ["StorageConformance", "FeedStorage", "Alerts", "DyadCore"]),
        .testTarget(name: "PostgresStorageTests", dependencies: ["PostgresStorage", "StorageConformance", "DyadConfig", "DyadCore",
                                                                "FeedStorage", "Alerts"]),
        // Test helpers shared by test targets: loopback HTTP server, temp dirs, fake clocks.
        .target(name: "TestSupport", dependencies: ["DyadCore", .product(name: "Logging", package: "swift-log")], path: "Tests/TestSupport"),
    ]
)
