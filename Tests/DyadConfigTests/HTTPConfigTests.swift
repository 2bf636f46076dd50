import XCTest
@testable import DyadConfig

/// `[http]`: off by default, loopback unless written otherwise, bad addresses refused with their line.
final class HTTPConfigTests: XCTestCase {
    let feed = "\n[[feed]]\nid = \"a\"\nname = \"A\"\nurl = \"https://example.com/a\"\n"

    func check(_ text: String) -> ConfigurationCheck {
        ConfigurationLoader.check(text: text + feed, file: "feeds.conf", baseDirectory: URL(fileURLWithPath: "/tmp"))
    }

    func testOffByDefaultAndLoopbackForABarePort() throws {
        XCTAssertNil(try XCTUnwrap(check("").configuration).section(HTTPConfig.self).listen)
        let c = check("[http]\nlisten = \"9464\"\n")
        XCTAssertEqual(try XCTUnwrap(c.configuration).section(HTTPConfig.self).listen, .init(host: "127.0.0.1", port: 9464))
        XCTAssertTrue(c.warnings.isEmpty, "\(c.diagnostics)")
    }

    func testAPublicAddressIsAcceptedWithAWarning() throws {
        let c = check("[http]\nlisten = \"0.0.0.0:9464\"\n")
        XCTAssertEqual(try XCTUnwrap(c.configuration).section(HTTPConfig.self).listen?.isLoopback, false)
        XCTAssertTrue(c.warnings.contains { $0.description.contains("feeds.conf:2:") && $0.description.contains("no authentication") }, "\(c.diagnostics)")
    }

    func testBadAddressesAreErrorsWithTheirLine() {
        for bad in ["\"localhost:9464\"", "\"127.0.0.1:0\"", "\"[::1]\"", "9464", "\"\""] {
            let c = check("[http]\nlisten = \(bad)\n")
            XCTAssertNil(c.configuration, bad)
            XCTAssertTrue(c.errors.contains { $0.description.contains("feeds.conf:2:") && $0.description.contains("http.listen") }, "\(bad): \(c.diagnostics)")
        }
        XCTAssertTrue(check("[http]\nlisen = \"9464\"\n").errors.contains { $0.description.contains("did you mean \"listen\"") })
    }
}
