import Foundation
import Testing

/// Logic never reads the wall clock: time comes from the one injected `TimeSource` (and ids from the one
/// `IDGenerator`), which only the places where a process starts pick. A test that fixes the clock then
/// fixes it everywhere, and the suite passes on any date.
@Suite struct WallClockUseTests {
    /// The one file allowed to read the wall clock: the source everything else is given.
    static let clockSource = "LeadgenCore/Support/TimeSource.swift"

    /// Ways of reading the wall clock, and defaults that would quietly pick it instead of the injected one.
    static let forbidden: [(pattern: String, why: String)] = [
        (#"\bDate\(\)"#, "reads the wall clock"),
        (#"\bDate\.now\b"#, "reads the wall clock"),
        (#"\bDate\.init\b(?!\()"#, "passes the wall clock as a function"),
        (#"\bDate\(timeIntervalSinceNow"#, "reads the wall clock"),
        (#"\.timeIntervalSinceNow\b"#, "reads the wall clock"),
        (#"\bCFAbsoluteTimeGetCurrent\b"#, "reads the wall clock"),
        (#"TimeSource\s*=\s*\.system"#, "defaults to the wall clock instead of taking the injected one"),
        (#"IDGenerator\s*=\s*\.uuidV7"#, "defaults to the process's ids instead of taking the injected ones"),
    ]

    static var sourcesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
    }

    static func swiftFiles() throws -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: sourcesFolder, includingPropertiesForKeys: nil)
        else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Each use as "path:line: text — why".
    static func uses(in text: String, path: String) throws -> [String] {
        var found: [String] = []
        let rules = try forbidden.map { (try NSRegularExpression(pattern: $0.pattern), $0.why) }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = line.components(separatedBy: "//").first ?? ""
            let range = NSRange(code.startIndex..., in: code)
            for (rule, why) in rules where rule.firstMatch(in: code, range: range) != nil {
                found.append("\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces)) — \(why)")
            }
        }
        return found
    }

    @Test func noFileUnderSourcesReadsTheWallClockButTheClockSource() throws {
        let files = try Self.swiftFiles()
        #expect(files.count > 100, "the scan found the sources")
        var found: [String] = []
        for file in files {
            let path = String(file.path.dropFirst(Self.sourcesFolder.path.count + 1))
            guard path != Self.clockSource else { continue }
            found += try Self.uses(in: try String(contentsOf: file, encoding: .utf8), path: path)
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// The scan itself must catch what it is there to catch.
    @Test(arguments: [
        "let now = Date()", "let t = Date.now", "now: @escaping @Sendable () -> Date = Date.init",
        "init(time: TimeSource = .system)", "init(ids: IDGenerator = .uuidV7)", "x.timeIntervalSinceNow",
    ])
    func theScanCatches(_ line: String) throws {
        #expect(try Self.uses(in: line, path: "x.swift").count == 1)
    }

    @Test(arguments: [
        "let at = Date(timeIntervalSince1970: 0)", "let now = time.now()", "// Date() is not read here",
        "map(Date.init(timeIntervalSince1970:))",
    ])
    func theScanLeavesAlone(_ line: String) throws {
        #expect(try Self.uses(in: line, path: "x.swift").isEmpty)
    }
}
