/// Traps with `message` when `condition` is false, in release builds too.
///
/// For programmer errors — mismatched shapes, axes out of range — whose message must reach the user:
/// `precondition` drops its message under `-O`, `fatalError` keeps it.
///
/// ```swift
/// check(a.count == b.count, "[dot] lengths differ: \(a.count) and \(b.count)")
/// ```
@inline(__always)
package func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                   file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
