import DyadConfig
import Foundation
import TestSupport
import XCTest

/// Issue 12: no configuration text may crash the loader; half-typed files are syntax errors with
/// a line; the parsed tree crosses a process boundary intact.
final class ConfigSafetyTests: XCTestCase {
    let base = URL(fileURLWithPath: "/tmp/dyadwatch-config-test")

    func check(_ text: String) -> ConfigurationCheck {
        ConfigurationLoader.check(text: text, file: "test.conf", baseDirectory: base)
    }

    func testHalfTypedHeadersAreSyntaxErrorsWithTheirLine() throws {
        let shipped = try ConfigMutator.shippedConfiguration()
        let shippedLines = shipped.split(separator: "\n", omittingEmptySubsequences: false).count
        let cases = ConfigMutator.halfTypedHeaders + [(shipped + "\n[", shippedLines + 1), (shipped + "\n[[feed", shippedLines + 1)]
        for (text, line) in cases {
            let result = check(text)
            XCTAssertNil(result.configuration, text)
            let error = try XCTUnwrap(result.errors.first, text)
            XCTAssertEqual(error.line, line, error.description)
            XCTAssertTrue(error.message.hasPrefix("TOML syntax error"), error.description)
        }
    }

    func testPrecheckAcceptsEveryKindOfValidHeaderAndArray() {
        let valid = """
            [daemon] # trailing comment with ]
            [ "quoted ] key" . 'lit[eral' ]
            [[feed]]
            tags = [
              [1, 2],
              ["[", "]]"],
            ]
            text = \"\"\"
            [not a header
            \"\"\"
            lit = '''
            [[nor this
            '''
            [[ feed ]]
            """
        XCTAssertNil(TOMLSyntaxPrecheck.firstError(in: valid))
        if case .syntaxError(let e) = InProcessTOMLParser().parse(valid) { XCTFail("valid TOML rejected: \(e)") }
    }

    func testControlCharactersAreRejectedWithLineAndColumn() throws {
        let error = try XCTUnwrap(TOMLSyntaxPrecheck.firstError(in: "a = 1\nb = \"x\u{0}y\"\n"))
        XCTAssertEqual(error.line, 2)
        XCTAssertEqual(error.column, 7)
        XCTAssertNil(TOMLSyntaxPrecheck.firstError(in: "a = 1\r\nb = \"\tx\"\r\n"), "CRLF and tab are fine")
    }

    func testCRLFFilesGetTheirLineNumbers() throws {
        let result = check("[daemon]\r\nconcurrency = 4\r\ninterval = \"5x\"\r\n")
        let error = try XCTUnwrap(result.errors.first)
        XCTAssertEqual(error.line, 3, error.description)
        XCTAssertEqual(check("a = 1\r\n[\r\n").errors.first?.line, 2)
    }

    func testTreeKeepsTOMLTypes() throws {
        let outcome = InProcessTOMLParser().parse("f = inf\ng = -3.5\ni = 7\nd = 1979-05-27\nt = 07:32:00\ndt = 1979-05-27T07:32:00Z\n[x]\na = [1, 'b']\n")
        guard case .tree(let tree) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(tree["g"], .float(-3.5))
        XCTAssertEqual(tree["f"], .float(.infinity))
        XCTAssertEqual(tree["i"], .integer(7))
        XCTAssertEqual(tree["d"]?.type, "date")
        XCTAssertEqual(tree["t"]?.type, "time")
        XCTAssertEqual(tree["dt"]?.type, "date-time")
        XCTAssertEqual(tree["x"]?.table?["a"], .array([.integer(1), .string("b")]))
    }

    /// What the child process hands the daemon: the validated configuration, section by section.
    func testValidatedConfigurationSurvivesTheJSONHandOver() throws {
        let text = try ConfigMutator.shippedConfiguration() + "\n[detectors]\ngranularity = \"hour\"\n[detectors.volume]\nmin_count = 4\n"
        let result = check(text)
        let configuration = try XCTUnwrap(result.configuration, "\(result.errors)")
        let back = try ConfigurationCheck.decode(Array(try result.encoded()))
        XCTAssertEqual(back.diagnostics, result.diagnostics)
        let decoded = try XCTUnwrap(back.configuration)
        XCTAssertEqual(decoded.feeds, configuration.feeds)
        XCTAssertEqual(decoded.daemon, configuration.daemon)
        XCTAssertEqual(decoded.analysis, configuration.analysis)
        XCTAssertEqual(decoded.section(DetectorsConfig.self), configuration.section(DetectorsConfig.self))
        XCTAssertEqual(decoded.section(AlertsConfig.self), configuration.section(AlertsConfig.self))
        XCTAssertEqual(decoded.file, configuration.file)
        // Every section, including ones added later: the same JSON again.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        XCTAssertEqual(String(decoding: try encoder.encode(decoded), as: UTF8.self),
                       String(decoding: try encoder.encode(configuration), as: UTF8.self))
    }

    /// Three hundred near-miss files: the loader returns for each, and every syntax error has a line.
    func testFuzzedConfigurationsNeverCrashAndSyntaxErrorsHaveLines() throws {
        let shipped = try ConfigMutator.shippedConfiguration()
        var mutator = ConfigMutator(seed: 12)
        var invalid = 0
        for i in 0..<300 {
            let text = mutator.mutate(shipped)
            let result = check(text)
            if result.configuration == nil { invalid += 1 }
            for error in result.errors where error.message.hasPrefix("TOML syntax error") {
                XCTAssertNotNil(error.line, "input \(i): \(error)")
            }
        }
        XCTAssertGreaterThan(invalid, 100, "the mutations should mostly break the file")
    }
}

/// Inputs kept from fuzzing the loader (Fuzz/Regressions/config): each is an error with a line.
final class ConfigFuzzRegressionTests: XCTestCase {
    func testKeptInputsAreSyntaxErrorsWithALine() throws {
        let inputs = try FuzzRegressions.inputs("config")
        XCTAssertGreaterThanOrEqual(inputs.count, 3, "the three inputs of issue 12 are kept")
        for (name, bytes) in inputs {
            let result = ConfigurationLoader.check(text: String(decoding: bytes, as: UTF8.self), file: name,
                                                   baseDirectory: URL(fileURLWithPath: "/tmp"))
            XCTAssertNil(result.configuration, name)
            XCTAssertNotNil(result.errors.first?.line, "\(name): \(result.errors)")
        }
    }
}
