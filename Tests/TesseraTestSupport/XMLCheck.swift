/// A tiny XML well-formedness checker and tree builder for the report tests (bench and profile pages, SVG
/// charts): balanced tags, quoted attributes, no raw `<`, `>` or stray `&` in text or attribute values. A leading
/// `<!DOCTYPE …>` is allowed; `<style>` content is checked like any text.
package struct XMLNode {
    package var name: String
    package var attributes: [String: String] = [:]
    package var children: [XMLNode] = []
    /// The text directly inside this element, entities decoded.
    package var text = ""

    /// Every element below (and including) this one, depth first.
    package var all: [XMLNode] { [self] + children.flatMap(\.all) }

    /// Every element named `name` below (and including) this one, with `cls` among its classes when given.
    package func elements(_ name: String, class cls: String? = nil) -> [XMLNode] {
        all.filter { $0.name == name && (cls == nil || ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(cls!))) }
    }

    /// The text of this element and everything inside it.
    package var allText: String { text + children.map(\.allText).joined() }
}

/// The first well-formedness error and where it is.
package struct XMLError: Error, CustomStringConvertible {
    package let message: String
    package let offset: Int
    package var description: String { "\(message) at character \(offset)" }
}

/// The parser.
package enum XMLCheck {
    static let entities = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]

    /// Parses `text` into its root element or throws on the first well-formedness error.
    package static func parse(_ text: String) throws -> XMLNode {
        let s = Array(text.unicodeScalars)
        var i = 0
        func error(_ m: String) -> XMLError { XMLError(message: m, offset: i) }
        func starts(_ p: String) -> Bool {
            let ps = Array(p.unicodeScalars)
            return i + ps.count <= s.count && Array(s[i..<(i + ps.count)]) == ps
        }
        func skipSpace() { while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 } }
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == ":" || c == "."
        }
        func name() throws -> String {
            let start = i
            while i < s.count, isNameChar(s[i]) { i += 1 }
            guard i > start else { throw error("expected a name") }
            return String(String.UnicodeScalarView(s[start..<i]))
        }
        /// Decodes text up to `<` (or the closing quote), rejecting raw `>` and bad entities.
        func chars(until stop: Unicode.Scalar) throws -> String {
            var out = ""
            while i < s.count, s[i] != stop {
                let c = s[i]
                if c == "<" { throw error("raw '<' in an attribute value") }
                if c == ">" && stop == "<" { throw error("raw '>' in text") }
                if c == "&" {
                    guard let semi = s[i...].firstIndex(of: ";"), semi - i <= 10 else { throw error("unterminated entity") }
                    let body = String(String.UnicodeScalarView(s[(i + 1)..<semi]))
                    if body.hasPrefix("#") {
                        guard let code = UInt32(body.dropFirst()), let scalar = Unicode.Scalar(code) else { throw error("bad character reference &\(body);") }
                        out.unicodeScalars.append(scalar)
                    } else if let value = entities[body] {
                        out += value
                    } else {
                        throw error("unknown entity &\(body);")
                    }
                    i = semi + 1
                    continue
                }
                out.unicodeScalars.append(c)
                i += 1
            }
            return out
        }

        skipSpace()
        if starts("<!DOCTYPE") {
            guard let end = s[i...].firstIndex(of: ">") else { throw error("unterminated DOCTYPE") }
            i = end + 1
        }
        var stack: [XMLNode] = []
        var root: XMLNode?
        skipSpace()
        while i < s.count {
            if starts("<!--") {
                while i < s.count, !starts("-->") { i += 1 }
                guard i < s.count else { throw error("unterminated comment") }
                i += 3
            } else if starts("</") {
                i += 2
                let n = try name()
                skipSpace()
                guard i < s.count, s[i] == ">" else { throw error("expected '>' after </\(n)") }
                i += 1
                guard let open = stack.popLast() else { throw error("closing </\(n)> with nothing open") }
                guard open.name == n else { throw error("</\(n)> closes <\(open.name)>") }
                if stack.isEmpty {
                    guard root == nil else { throw error("second root element") }
                    root = open
                } else {
                    stack[stack.count - 1].children.append(open)
                }
            } else if s[i] == "<" {
                guard root == nil || !stack.isEmpty else { throw error("second root element") }
                i += 1
                var node = XMLNode(name: try name())
                while true {
                    skipSpace()
                    guard i < s.count else { throw error("unterminated tag <\(node.name)>") }
                    if s[i] == ">" { i += 1; stack.append(node); break }
                    if starts("/>") {
                        i += 2
                        if stack.isEmpty {
                            guard root == nil else { throw error("second root element") }
                            root = node
                        } else {
                            stack[stack.count - 1].children.append(node)
                        }
                        break
                    }
                    let attribute = try name()
                    skipSpace()
                    guard i < s.count, s[i] == "=" else { throw error("attribute \(attribute) has no value") }
                    i += 1
                    skipSpace()
                    guard i < s.count, s[i] == "\"" || s[i] == "'" else { throw error("attribute \(attribute) is not quoted") }
                    let quote = s[i]
                    i += 1
                    let value = try chars(until: quote)
                    guard i < s.count else { throw error("unterminated attribute \(attribute)") }
                    i += 1
                    guard node.attributes[attribute] == nil else { throw error("duplicate attribute \(attribute)") }
                    node.attributes[attribute] = value
                }
            } else {
                let content = try chars(until: "<")
                if stack.isEmpty {
                    guard content.allSatisfy(\.isWhitespace) else { throw error("text outside the root element") }
                } else {
                    stack[stack.count - 1].text += content
                }
            }
        }
        guard stack.isEmpty else { throw error("<\(stack.last!.name)> is never closed") }
        guard let root else { throw error("no root element") }
        return root
    }
}
