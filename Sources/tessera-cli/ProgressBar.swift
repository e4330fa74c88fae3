#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// "distances  [#########-----------]  45%" on stderr, redrawn in place, only when stderr is a terminal.
final class ProgressBar {
    /// Whether anything is drawn.
    let enabled = isatty(2) != 0
    private var last = ""

    /// Draws `label` at `fraction` (0…1); repeated states are not redrawn.
    func update(_ label: String, _ fraction: Double) {
        guard enabled else { return }
        let width = 30
        let filled = Int((max(0, min(1, fraction)) * Double(width)).rounded(.down))
        let line = "\((label + " ").padding(18))[\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(Int(fraction * 100))%"
        guard line != last else { return }
        last = line
        emit("\r\u{1B}[K" + line)
    }

    /// Clears the line.
    func finish() {
        if enabled && !last.isEmpty { emit("\r\u{1B}[K") }
    }

    private func emit(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
