import Foundation
import TestSupport
import XCTest

/// `ChildRun` (behind `BinaryRun` and the command-line tests) reads stdout and stderr at the same
/// time: a command that fills the stderr pipe while the test still reads stdout must not hang.
final class ChildRunTests: XCTestCase {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    func testCommandFillingStderrBeforeStdoutEnds() throws {
        // 1 MiB on stderr (16 pipe buffers) before the first byte of stdout.
        let run = try ChildRun.run(Self.shell, ["-c", "head -c 1048576 /dev/zero | tr '\\0' e >&2; echo done; exit 3"])
        XCTAssertEqual(run.status, 3)
        XCTAssertFalse(run.signaled)
        XCTAssertEqual(run.stdoutText, "done\n")
        XCTAssertEqual(run.stderr.count, 1_048_576)
        XCTAssertTrue(run.stderr.allSatisfy { $0 == UInt8(ascii: "e") })
    }

    func testInputLargerThanAPipeIsWrittenWhileOutputIsRead() throws {
        let input = Data((0..<600_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let run = try ChildRun.run(Self.shell, ["-c", "cat; echo tail >&2"], input: input)
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout, input)
        XCTAssertEqual(run.stderrText, "tail\n")
    }
}
