import Foundation
import TestSupport

/// One run of the built `dyadwatch` binary to its end (a command, not the daemon): what it printed.
struct BinaryRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `dyadwatch ARGUMENTS` and waits for it; stdout and stderr are read at the same time
    /// (`ChildRun`), so however much it prints on either the run cannot hang on a full pipe.
    static func run(_ arguments: [String]) throws -> BinaryRun {
        let run = try ChildRun.run(try DaemonProcess.binary(), arguments)
        return BinaryRun(status: run.status, stdout: run.stdoutText, stderr: run.stderrText)
    }
}
