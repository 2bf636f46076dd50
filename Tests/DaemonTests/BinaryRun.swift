import Foundation

/// One run of the built `dyadwatch` binary to its end (a command, not the daemon): what it printed.
struct BinaryRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `dyadwatch ARGUMENTS` and waits for it (commands print little on stderr).
    static func run(_ arguments: [String]) throws -> BinaryRun {
        let process = Process()
        process.executableURL = try DaemonProcess.binary()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BinaryRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
    }
}
