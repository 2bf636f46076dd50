import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with bytes on its stdin and collects its stdout, with a time limit, on
/// `posix_spawn`, `poll` and `waitpid` alone. Not Foundation's `Process`, which on Linux keeps about
/// 8 KB per child it ever started (measured: +2.4 MiB for 300 children), and this runs on every
/// configuration reload of a long-running daemon.
struct ChildProcess {
    enum Termination: Equatable { case exited(Int32), signaled(Int32), timedOut }

    var executable: String
    var arguments: [String]
    /// Added to (or replacing in) the inherited environment.
    var environment: [String: String] = [:]
    var timeout: TimeInterval

    /// Spawns the program, writes `input`, reads stdout to the end; stderr goes to /dev/null.
    /// Nil when the program cannot be started.
    func run(input: [UInt8]) -> (termination: Termination, output: [UInt8])? {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard Self.makePipe(&toChild) else { return nil }
        guard Self.makePipe(&fromChild) else { close(toChild[0]); close(toChild[1]); return nil }
        defer { for fd in [toChild[1], fromChild[0]] where fd >= 0 { close(fd) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The daemon ignores SIGHUP/SIGTERM/SIGPIPE and dispositions survive exec: give the child
        // the defaults and an empty signal mask.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults); sigemptyset(&empty)
        for sig in [SIGHUP, SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let status = withCStrings([executable] + arguments) { argv in
            withCStrings(mergedEnvironment()) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        close(toChild[0]); close(fromChild[1])
        guard status == 0 else { return nil }

        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout) * 1e9)
        var output: [UInt8] = []
        var written = 0
        var writeFD = input.isEmpty ? Int32(-1) : toChild[1]
        if writeFD < 0 { close(toChild[1]); toChild[1] = -1 }
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        _ = fcntl(toChild[1], F_SETFL, O_NONBLOCK)
        while fromChild[0] >= 0 {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { timedOut = true; break }
            var fds = [pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)]
            if writeFD >= 0 { fds.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            let waitMs = Int32(min(1_000, (deadline - now) / 1_000_000 + 1))
            let ready = poll(&fds, nfds_t(fds.count), waitMs)
            if ready < 0 { if errno == EINTR { continue }; break }
            if fds.count > 1, fds[1].revents != 0 {
                let n = input.withUnsafeBytes { write(writeFD, $0.baseAddress! + written, $0.count - written) }
                if n > 0 { written += n }
                if n < 0 && errno != EAGAIN && errno != EINTR || written == input.count {
                    close(writeFD); toChild[1] = -1; writeFD = -1  // done, or the child stopped reading
                }
            }
            if fds[0].revents != 0 {
                let n = read(fromChild[0], &buffer, buffer.count)
                if n > 0 { output.append(contentsOf: buffer[0..<n]) }
                else if n == 0 || (errno != EINTR && errno != EAGAIN) { close(fromChild[0]); fromChild[0] = -1 }
            }
        }
        if timedOut { kill(pid, SIGKILL) }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        if timedOut { return (.timedOut, output) }
        let termSignal = waitStatus & 0x7F
        if termSignal == 0 { return (.exited((waitStatus >> 8) & 0xFF), output) }
        return (.signaled(termSignal), output)
    }

    /// A pipe whose ends are closed on exec (`pipe2` is not exported to Swift here).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// `environ` with `environment` applied, as `KEY=value` strings.
    private func mergedEnvironment() -> [String] {
        var result: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let key = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if environment[key] == nil { result.append(text) }
            index += 1
        }
        for (key, value) in environment { result.append("\(key)=\(value)") }
        return result
    }
}

/// Calls `body` with a NULL-terminated C array of copies of `strings`, freed afterwards.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
