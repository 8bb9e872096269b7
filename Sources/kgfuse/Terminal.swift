import Foundation

/// Output helpers for a person at a terminal: stderr messages and a progress bar that redraws in place.
enum Terminal {
    /// True when stderr is a terminal (progress bars are drawn only then).
    static let stderrIsTerminal = isatty(STDERR_FILENO) != 0

    /// Writes a line to stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Draws `label [#####.....] 42% detail` on stderr, overwriting the previous bar.
    static func progress(_ label: String, fraction: Double, detail: String = "") {
        guard stderrIsTerminal else { return }
        let width = 30
        let filled = max(0, min(width, Int(fraction * Double(width))))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\r\(label) [\(bar)] \(Int(fraction * 100))% \(detail)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the progress line.
    static func endProgress() {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// Formats an integer with thousands separators: 345757 → "345,757".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
