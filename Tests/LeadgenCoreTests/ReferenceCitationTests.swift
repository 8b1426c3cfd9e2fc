import Foundation
import Testing

/// Vendor facts live in the repository: a comment that cites a reference names a file under
/// `docs/reference/` that exists, never a file kept elsewhere.
@Suite struct ReferenceCitationTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func swiftFiles(under folder: String) -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
        else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Each citation problem as "path:line: text".
    static func problems(in text: String, path: String, existing: Set<String>) throws -> [String] {
        let cited = try NSRegularExpression(pattern: #"([A-Za-z0-9_/.-]*?)\b([a-z]+)\.md\b"#)
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            for match in cited.matches(in: line, range: NSRange(line.startIndex..., in: line)) {
                guard let whole = Range(match.range, in: line), let name = Range(match.range(at: 2), in: line)
                else { continue }
                let citation = String(line[whole])
                let file = String(line[name]) + ".md"
                let isReference = ["apollo", "hubspot", "crm", "make", "messaging", "anchors"].contains(
                    String(line[name]))
                guard isReference else { continue }
                if !citation.hasSuffix("docs/reference/" + file) {
                    found.append("\(path):\(number + 1): cites \(citation), a file outside docs/reference")
                } else if !existing.contains(file) {
                    found.append("\(path):\(number + 1): cites \(citation), which does not exist")
                }
            }
        }
        return found
    }

    static var existingReferences: Set<String> {
        let folder = root.appendingPathComponent("docs/reference")
        return Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    }

    @Test func everyCitedReferenceIsInTheRepository() throws {
        let existing = Self.existingReferences
        #expect(existing.contains("apollo.md") && existing.contains("make.md"))
        var problems: [String] = []
        for folder in ["Sources", "Tests"] {
            for file in Self.swiftFiles(under: folder) where file.lastPathComponent != "ReferenceCitationTests.swift" {
                let path = String(file.path.dropFirst(Self.root.path.count + 1))
                problems += try Self.problems(
                    in: try String(contentsOf: file, encoding: .utf8), path: path, existing: existing)
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func theScanCatchesEachKindOfCitation() throws {
        let existing: Set = ["apollo.md"]
        #expect(try Self.problems(in: "/// (reference apollo.md §3)", path: "x", existing: existing).count == 1)
        #expect(try Self.problems(in: "/// (crm.md §1)", path: "x", existing: existing).count == 1)
        #expect(try Self.problems(in: "/// docs/reference/hubspot.md §2", path: "x", existing: existing).count == 1)
        #expect(try Self.problems(in: "/// docs/reference/apollo.md §3", path: "x", existing: existing).isEmpty)
        #expect(try Self.problems(in: "/// see README.md", path: "x", existing: existing).isEmpty)
    }
}
