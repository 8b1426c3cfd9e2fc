import Foundation
import Testing

/// `docs/architecture.md` draws every direct dependency between the package's targets; this test keeps the
/// drawing true to `Package.swift`.
@Suite struct ArchitectureDiagramTests {
    struct Edge: Hashable, CustomStringConvertible {
        var from, to: String
        var description: String { "\(from) --> \(to)" }
    }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The non-test targets of a manifest and their dependencies on other targets (quoted names, not
    /// products).
    static func packageGraph(_ manifest: String) throws -> (targets: Set<String>, edges: Set<Edge>) {
        let declaration = try NSRegularExpression(
            pattern: #"\.(target|executableTarget)\(\s*name:\s*"([^"]+)"(.*?)"#
                + #"(?=\n        \.(?:target|executableTarget|testTarget)\(|\n    \]\s*,?\s*\n|\z)"#,
            options: [.dotMatchesLineSeparators])
        let quoted = try NSRegularExpression(pattern: #""([A-Za-z][A-Za-z0-9]*)""#)
        var targets = Set<String>()
        var dependencies: [String: [String]] = [:]
        let range = NSRange(manifest.startIndex..., in: manifest)
        for match in declaration.matches(in: manifest, range: range) {
            guard let name = Range(match.range(at: 2), in: manifest), let body = Range(match.range(at: 3), in: manifest)
            else { continue }
            let target = String(manifest[name])
            targets.insert(target)
            var text = String(manifest[body])
            guard let start = text.range(of: "dependencies: [") else { continue }
            text = String(text[start.upperBound...])
            var depth = 1
            var end = text.startIndex
            for index in text.indices {
                if text[index] == "[" { depth += 1 }
                if text[index] == "]" { depth -= 1 }
                if depth == 0 {
                    end = index
                    break
                }
            }
            let list = String(text[..<end]).replacingOccurrences(
                of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
            dependencies[target] = quoted.matches(in: list, range: NSRange(list.startIndex..., in: list)).compactMap {
                Range($0.range(at: 1), in: list).map { String(list[$0]) }
            }
        }
        var edges = Set<Edge>()
        for (from, names) in dependencies {
            for to in names where targets.contains(to) { edges.insert(Edge(from: from, to: to)) }
        }
        return (targets, edges)
    }

    /// The edges of the first Mermaid block.
    static func diagramEdges(_ markdown: String) -> Set<Edge> {
        guard let start = markdown.range(of: "```mermaid\n"),
            let end = markdown.range(of: "```", range: start.upperBound..<markdown.endIndex)
        else { return [] }
        var edges = Set<Edge>()
        for line in markdown[start.upperBound..<end.lowerBound].split(separator: "\n") {
            let parts = line.split(separator: " ").filter { !$0.isEmpty }
            if parts.count == 3, parts[1] == "-->" { edges.insert(Edge(from: String(parts[0]), to: String(parts[2]))) }
        }
        return edges
    }

    @Test func theDiagramDrawsEveryTargetAndEveryDependency() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let markdown = try String(
            contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let (targets, edges) = try Self.packageGraph(manifest)
        #expect(targets.isSuperset(of: ["LeadgenCore", "Storage", "WebApp", "leadgen"]), "the manifest was read")
        #expect(edges.contains(Edge(from: "Pipeline", to: "Storage")))
        let drawn = Self.diagramEdges(markdown)
        let named = Set(drawn.flatMap { [$0.from, $0.to] })
        #expect(targets.subtracting(named).isEmpty, "targets not drawn: \(targets.subtracting(named).sorted())")
        #expect(
            edges.subtracting(drawn).isEmpty, "edges not drawn: \(edges.subtracting(drawn).map(\.description).sorted())"
        )
        #expect(
            drawn.subtracting(edges).isEmpty,
            "edges drawn that the package lacks: \(drawn.subtracting(edges).map(\.description).sorted())")
    }
}
