import Foundation
import TestSupport
import XCTest

/// `dyadwatch check-config` and `dyadwatch poll --once` as separate processes: exit codes,
/// output lines, and a restart (a second process on the same state directory) storing nothing new.
final class CommandLineTests: XCTestCase {
    /// The built `dyadwatch` next to the test bundle (`swift build --build-tests` builds it).
    static var binary: URL? {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        return candidates.map { $0.appendingPathComponent("dyadwatch") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func run(_ arguments: [String]) throws -> Run { try Self.run(arguments) }

    /// Runs the built `dyadwatch` with `arguments` and waits for it (skips without the binary).
    static func run(_ arguments: [String]) throws -> Run {
        guard let binary = Self.binary else { throw XCTSkip("dyadwatch binary not built next to the tests") }
        let run = try ChildRun.run(binary, arguments)
        return Run(status: run.status, stdout: run.stdoutText, stderr: run.stderrText)
    }

    func testCheckConfigReportsFiveMistakesWithLinesAndExits2() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("feeds.conf")
        try """
        [daemon]
        interval = "soon"
        concurency = 8

        [[feed]]
        id = "a"
        name = "A"
        url = "ftp://example.com/feed"

        [[feed]]
        id = "a"
        name = "B"
        url = "https://example.com/b"

        [[feed]]
        id = "c"
        url = "https://example.com/c"
        """.write(to: file, atomically: false, encoding: .utf8)
        let result = try run(["check-config", "--config", file.path])
        XCTAssertEqual(result.status, 2)
        let lines = result.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        XCTAssertEqual(lines.count, 5, result.stdout)
        for (line, key) in zip(lines, ["2: error: daemon.interval", "3: error: daemon.concurency", "8: error: feed[0].url",
                                       "11: error: feed[1].id", "15: error: feed[2].name"]) {
            XCTAssertTrue(line.contains(":\(key)"), "\(line) should locate \(key)")
        }
    }

    func testCheckConfigOnTheShippedFileExits0WithASummary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let result = try run(["check-config", "--config", root.appendingPathComponent("feeds.conf").path])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines.first?.contains("OK") ?? false)
    }

    func testPollRefusesAnInvalidConfiguration() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.url.appendingPathComponent("feeds.conf")
        try "[daemon]\ntimeout = \"forever\"\n".write(to: file, atomically: false, encoding: .utf8)
        let result = try run(["poll", "--once", "--config", file.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("daemon.timeout"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("state").path), "nothing done")
    }

    /// `feeds.conf` in `dir`: state in `state/`, one feed (no group, no language) per (id, URL).
    static func pollConfig(in dir: TemporaryDirectory, _ feeds: [(String, String)]) throws -> URL {
        let file = dir.url.appendingPathComponent("feeds.conf")
        try FeedsConf(daemon: ["state_dir = \"state\""],
                      feeds: feeds.map { FeedsConf.Feed(id: $0.0, url: $0.1, group: nil, language: nil) }).write(to: file)
        return file
    }

    func testSecondProcessOnTheSameStateDirectoryStoresNothingNew() throws {
        let routes = RouteTable()
        let server = try LoopbackHTTPServer(handler: routes.handler)
        defer { server.stop() }
        routes.set("/a", .ok(RSSFixture.document(items: PollHarness.items(3))))
        routes.set("/b", .status(404))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try Self.pollConfig(in: dir, [("alpha", server.url("/a")), ("beta", server.url("/b"))])

        let first = try run(["poll", "--once", "--all", "--config", file.path])
        XCTAssertEqual(first.status, 0, "feed failures do not fail the run: \(first.stderr)")
        let alpha = try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("alpha") })
        XCTAssertTrue(alpha.contains("new 3"), String(alpha))
        let beta = try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("beta") })
        XCTAssertTrue(beta.contains("FAIL") && beta.contains("HTTP 404"), String(beta))
        XCTAssertTrue(first.stdout.contains("total: 2 feeds polled"))

        let second = try run(["poll", "--once", "--all", "--config", file.path])
        XCTAssertEqual(second.status, 0)
        let alphaAgain = try XCTUnwrap(second.stdout.split(separator: "\n").first { $0.hasPrefix("alpha") })
        XCTAssertTrue(alphaAgain.contains("new 0"), String(alphaAgain))
        XCTAssertTrue(second.stdout.contains("new 0, updated 0"))
    }

    func testPollAllSkipsFeedsHeldByRetryAfterOrBackoffAndForceOverrides() throws {
        let routes = RouteTable()
        let server = try LoopbackHTTPServer(handler: routes.handler)
        defer { server.stop() }
        routes.set("/a", .ok(RSSFixture.document(items: PollHarness.items(2))))
        routes.set("/busy", .status(503, headers: [("Retry-After", "3600")]))
        routes.set("/limited", .status(429))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try Self.pollConfig(in: dir, [("alpha", server.url("/a")), ("busy", server.url("/busy")),
                                                 ("limited", server.url("/limited"))])

        let first = try run(["poll", "--once", "--all", "--config", file.path])
        let busy = try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("busy") })
        XCTAssertTrue(busy.contains("error[http_5xx]: HTTP 503"), String(busy))
        XCTAssertTrue(first.stdout.contains("error[rate_limited]: HTTP 429"), first.stdout)

        let second = try run(["poll", "--once", "--all", "--config", file.path])
        XCTAssertEqual(second.status, 0)
        let skipped = second.stdout.split(separator: "\n").filter { $0.hasPrefix("skipped") }
        XCTAssertEqual(skipped.count, 2, second.stdout)
        XCTAssertTrue(skipped.contains { $0.contains("busy") && $0.contains("retry-after until ") && $0.contains("--force") }, second.stdout)
        XCTAssertTrue(skipped.contains { $0.contains("limited") && $0.contains("backoff until ") }, second.stdout)
        XCTAssertTrue(second.stdout.contains("total: 1 feeds polled"), second.stdout)
        XCTAssertEqual(server.requests(to: "/busy").count, 1, "not requested before its Retry-After")
        XCTAssertEqual(server.requests(to: "/limited").count, 1)

        let forced = try run(["poll", "--once", "--all", "--force", "--config", file.path])
        XCTAssertTrue(forced.stdout.split(separator: "\n").contains { $0.hasPrefix("forced") && $0.contains("busy") }, forced.stdout)
        XCTAssertEqual(server.requests(to: "/busy").count, 2)
        XCTAssertEqual(server.requests(to: "/limited").count, 2)
    }
}
