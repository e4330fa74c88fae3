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
        let file = try Writer(path)
        try bytes.withUnsafeBytes { raw in Result { () throws(TesseraError) in try file.write(raw, at: 0) } }.get()
        try file.commit()
    }

    /// A file written piece by piece into a temporary file beside `path`, which ``commit()`` flushes
    /// and renames over `path`; dropped without a commit, the temporary file is removed and `path` is
    /// left as it was.
    ///
    /// ```swift
    /// let out = try AtomicFile.Writer("distances.npy")
    /// try out.write(header, at: 0)
    /// try out.commit()
    /// ```
    package final class Writer {
        /// The file that ``commit()`` replaces.
        package let path: String
        private let temporary: String
        private var fd: Int32

        /// Creates the temporary file.
        ///
        /// - Throws: `.io` naming `path` when the directory is not writable.
        package init(_ path: String) throws(TesseraError) {
            let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
            let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
            self.path = path
            temporary = "\(directory).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw ioError(path, "cannot create temporary file \(temporary)") }
        }

        deinit {
            if fd >= 0 {
                close(fd)
                unlink(temporary)
            }
        }

        /// Writes `bytes` at byte `offset` of the file.
        package func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(TesseraError) {
            precondition(fd >= 0, "[AtomicFile.Writer] write after commit")
            var done = 0
            while done < bytes.count {
                let n = pwrite(fd, bytes.baseAddress!.advanced(by: done), bytes.count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ioError(path, "cannot write")
                }
                done += n
            }
        }

        /// Flushes the temporary file to disk and renames it over ``path``.
        package func commit() throws(TesseraError) {
            precondition(fd >= 0, "[AtomicFile.Writer] committed twice")
            guard fsync(fd) == 0 else { throw ioError(path, "cannot flush to disk") }
            let closed = close(fd)
            fd = -1
            guard closed == 0 else {
                let error = ioError(path, "cannot close")
                unlink(temporary)
                throw error
            }
            guard rename(temporary, path) == 0 else {
                let error = ioError(path, "cannot rename \(temporary) over it")
                unlink(temporary)
                throw error
            }
            // Flush the directory entry too, so the rename itself survives a crash.
            let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "."
            let dirfd = open(directory, O_RDONLY | O_CLOEXEC)
            if dirfd >= 0 {
                fsync(dirfd)
                close(dirfd)
            }
        }
    }

    /// An `.io` error carrying `strerror(errno)`; call it right after the failing system call.
    fileprivate static func ioError(_ path: String, _ what: String) -> TesseraError {
        TesseraError(.io, "\(what): \(String(cString: strerror(errno)))", location: path)
    }
}
