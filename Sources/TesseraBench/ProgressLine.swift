#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of progress, redrawn in place (`\r` and erase-line) on a terminal and not written at all
/// otherwise: what every long `tessera` command shows while it works.
///
/// ```swift
/// let line = ProgressLine()
/// line.show("distances  " + ProgressLine.bar(0.45, width: 30) + " 45%")
/// line.finish()
/// ```
public final class ProgressLine {
    private let fd: Int32
    /// Whether anything is written: `fd` is a terminal (or `force`).
    public let enabled: Bool
    private var last = ""

    /// A line on `fd` (standard error by default), drawn only when it is a terminal unless `force`.
    public init(fd: Int32 = 2, force: Bool = false) {
        self.fd = fd
        enabled = force || isatty(fd) != 0
    }

    /// Replaces the line with `text`; the same text again is not redrawn.
    public func show(_ text: String) {
        guard enabled, text != last else { return }
        last = text
        emit("\r\u{1B}[K" + text)
    }

    /// Clears the line, so what is printed next starts clean.
    public func finish() {
        if enabled && !last.isEmpty { emit("\r\u{1B}[K") }
        last = ""
    }

    /// `[#########-----]`: `fraction` (clamped to 0…1) of `width` cells filled.
    public static func bar(_ fraction: Double, width: Int) -> String {
        let filled = Int((Swift.max(0, Swift.min(1, fraction)) * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    private func emit(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
    }
}
