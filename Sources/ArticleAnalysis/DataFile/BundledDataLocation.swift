import Foundation

/// Where the bundled data files are. SwiftPM installs the module's resource bundle beside the
/// executable; looking there directly skips `Bundle.module`, whose Foundation implementation lists
/// the executable's whole directory (a `.build/release` or `/usr/local/bin` of hundreds of
/// entries) several times — a visible share of every `dyadwatch analyze` start-up.
enum BundledDataLocation {
    /// SwiftPM's name for this module's resource bundle: `<package>_<target>.resources`. Should the
    /// package or target be renamed, the fast path misses and `Bundle.module` still finds it.
    static let bundleName = "dyadwatch_ArticleAnalysis.resources"
    /// The folder copied into the bundle (`resources: [.copy("Resources")]`).
    static let folder = "Resources"

    static var directory: URL? {
        if let beside = besideExecutable { return beside }
        return Bundle.module.url(forResource: folder, withExtension: nil)
    }

    /// `<executable's directory>/<bundleName>/Resources` when it is a directory.
    static var besideExecutable: URL? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let executable = URL(fileURLWithPath: String(decoding: buffer[0..<n], as: UTF8.self))
        let candidate = executable.deletingLastPathComponent().appendingPathComponent(bundleName).appendingPathComponent(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return candidate
    }
}
