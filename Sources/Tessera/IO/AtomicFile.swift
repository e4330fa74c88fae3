#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads, and writes that either replace the file completely or leave it untouched.
///
/// ```swift
/// try AtomicFile.write(bytes, to: "weights.npz")
/// let back = try AtomicFile.read("weights.npz")
/// ```
package enum AtomicFile {
    /// Reads the whole file at `path`.
    ///
    /// - Throws: ``TesseraError`` of kind `.io` naming the path and the system's reason.
    package static func read(_ path: String) throws(TesseraError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path, "cannot open for reading") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError(path, "cannot stat") }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            throw TesseraError(.io, "is a directory, expected a file", location: path)
        }
        // st_size is only a hint (the file may change under us), so read until end of file.
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, count / 2))) }
            let n = bytes.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress?.advanced(by: count), $0.count - count, off_t(count))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "cannot read")
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Replaces the file at `path` with `bytes`, atomically.
    ///
    /// Writes a temporary file in the same directory, flushes it to disk, then renames it over `path`,
    /// so readers see either the old file or the complete new one, and a failure leaves no partial file.
    ///
    /// - Throws: ``TesseraError`` of kind `.io` naming the path and the system's reason.
    package static func write(_ bytes: [UInt8], to path: String) throws(TesseraError) {
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = "\(directory).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw ioError(path, "cannot create temporary file \(temporary)") }
        do throws(TesseraError) {
            try writeAll(bytes, to: fd, path: path)
            guard fsync(fd) == 0 else { throw ioError(path, "cannot flush to disk") }
            guard close(fd) == 0 else { throw ioError(path, "cannot close") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = ioError(path, "cannot rename \(temporary) over it")
            unlink(temporary)
            throw error
        }
        // Flush the directory entry too, so the rename itself survives a crash.
        let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(TesseraError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes {
                pwrite(fd, $0.baseAddress?.advanced(by: done), $0.count - done, off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "cannot write")
            }
            done += n
        }
    }

    /// An `.io` error carrying `strerror(errno)`; call it right after the failing system call.
    private static func ioError(_ path: String, _ what: String) -> TesseraError {
        TesseraError(.io, "\(what): \(String(cString: strerror(errno)))", location: path)
    }
}
