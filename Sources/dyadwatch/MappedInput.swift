import Foundation

/// A regular file (or standard input redirected from one) mapped read-only into memory: the
/// batch reads its lines in place, without zero-filling and copying a buffer of the whole input
/// first. Pipes and empty files are not mappable (nil): they are read as before.
final class MappedInput {
    /// The bytes from the file's current offset (standard input may have been read from already).
    let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer
    private let length: Int

    private init(_ base: UnsafeMutableRawPointer, _ length: Int, from offset: Int) {
        self.base = base
        self.length = length
        bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self) + offset, count: length - offset)
    }

    deinit { munmap(base, length) }

    /// `name` is a path, or "-" for standard input.
    static func open(_ name: String) -> MappedInput? {
        if name == "-" { return map(STDIN_FILENO) }
        let fd = Glibc.open(name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return map(fd)
    }

    private static func map(_ fd: Int32) -> MappedInput? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let length = Int(st.st_size)
        let offset = Int(lseek(fd, 0, SEEK_CUR))
        guard offset >= 0, offset < length else { return nil }
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        madvise(base, length, MADV_SEQUENTIAL)
        return MappedInput(base, length, from: offset)
    }
}
