import Foundation

/// Deterministic near-miss feeds.conf texts for robustness tests: a valid file with one to three
/// edits of the kinds people (and editors) make half-way — cut off anywhere, a bracket, quote or
/// `=` added or lost, a line doubled or dropped — plus the tokens TOML parsers trip on.
public struct ConfigMutator {
    /// splitmix64: the same seed gives the same inputs on every machine.
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The three inputs of issue 12 that aborted TOMLKit's parser, each with the line of the error.
    public static let halfTypedHeaders: [(text: String, line: Int)] = [("[", 1), ("[[", 1), ("a=1\n[", 2)]

    static let tokens = ["[", "[[", "]", "]]", "\"", "'", "\"\"\"", "'''", "=", "\n", "{", "}", ",", "#", ".", "\\",
                         "\\u", "\\U0011FFFF", "0x", "1e999", "-inf", "nan", "\t", "\u{0}", "\r", "é", "[a.b]", "x = ",
                         "[[feed]]\n", "= =", "\"\\", "9999999999999999999999", "1979-05-27T07:32:00Z", "{a=1,a=2}"]

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// One mutated copy of `text`.
    public mutating func mutate(_ text: String) -> String {
        var chars = Array(text)
        for _ in 0...below(3) {
            switch below(6) {
            case 0:  // cut off (a file saved half-way)
                chars = Array(chars.prefix(below(chars.count + 1)))
            case 1:  // delete a few characters
                guard !chars.isEmpty else { continue }
                let at = below(chars.count)
                chars.removeSubrange(at..<min(chars.count, at + 1 + below(8)))
            case 2, 3:  // insert a token TOML parsers find hard
                chars.insert(contentsOf: Array(Self.tokens[below(Self.tokens.count)]), at: below(chars.count + 1))
            default:  // double or drop a whole line
                var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                guard !lines.isEmpty else { continue }
                let at = below(lines.count)
                if below(2) == 0 { lines.insert(lines[at], at: at) } else { lines.remove(at: at) }
                chars = Array(lines.joined(separator: "\n"))
            }
        }
        return String(chars)
    }

    /// The shipped feeds.conf at the repository root.
    public static func shippedConfiguration(file: StaticString = #filePath) throws -> String {
        let root = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("feeds.conf"), encoding: .utf8)
    }
}
