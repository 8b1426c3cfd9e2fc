import Foundation
import Testing

/// With `MemberImportVisibility` a file imports every module whose members it uses; this test makes the
/// manifest say so too: each module a target's files import is one of that target's declared dependencies
/// (a target, or a product of a package), not something that happens to be built alongside.
@Suite struct DeclaredImportsTests {
    /// Modules of the toolchain, which no manifest declares.
    static let toolchain: Set = ["Foundation", "Dispatch", "Synchronization", "Glibc", "Testing", "XCTest"]

    struct Target {
        var name: String
        var folder: String
        var dependencies: Set<String>
    }

    /// Every target of the manifest with its folder and the modules it depends on by name.
    static func targets(_ manifest: String) throws -> [Target] {
        let declaration = try NSRegularExpression(
            pattern: #"\.(target|executableTarget|testTarget)\(\s*name:\s*"([^"]+)"(.*?)"#
                + #"(?=\n        \.(?:target|executableTarget|testTarget)\(|\n    \]\s*,?\s*\n|\z)"#,
            options: [.dotMatchesLineSeparators])
        let dependency = try NSRegularExpression(pattern: #"(?:\.product\(name:\s*)?"([A-Za-z][A-Za-z0-9]*)""#)
        let path = try NSRegularExpression(pattern: #"path:\s*"([^"]+)""#)
        var found: [Target] = []
        for match in declaration.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)) {
            guard let kind = Range(match.range(at: 1), in: manifest),
                let name = Range(match.range(at: 2), in: manifest),
                let body = Range(match.range(at: 3), in: manifest)
            else { continue }
            let text = String(manifest[body])
            let whole = NSRange(text.startIndex..., in: text)
            let folder =
                path.firstMatch(in: text, range: whole).flatMap { Range($0.range(at: 1), in: text) }.map {
                    String(text[$0])
                } ?? (manifest[kind] == "testTarget" ? "Tests/" : "Sources/") + manifest[name]
            var names = Set<String>()
            if let list = text.range(of: "dependencies: [") {
                let end = text[list.upperBound...].firstIndex(of: "]") ?? text.endIndex
                let inside = String(text[list.upperBound..<end])
                for entry in dependency.matches(in: inside, range: NSRange(inside.startIndex..., in: inside)) {
                    if let range = Range(entry.range(at: 1), in: inside) { names.insert(String(inside[range])) }
                }
            }
            found.append(Target(name: String(manifest[name]), folder: folder, dependencies: names))
        }
        return found
    }

    @Test func everyImportedModuleIsADeclaredDependency() throws {
        let root = CompositionRootTests.packageFolder
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targets = try Self.targets(manifest)
        #expect(targets.count > 15, "the manifest was read")
        #expect(targets.first { $0.name == "WebApp" }?.dependencies.contains("Hummingbird") == true)
        let importLine = try NSRegularExpression(pattern: #"(?m)^(?:@testable )?import (\w+)"#)
        var undeclared: [String] = []
        for target in targets {
            for file in try CompositionRootTests.swiftFiles(under: target.folder) {
                let range = NSRange(file.text.startIndex..., in: file.text)
                for match in importLine.matches(in: file.text, range: range) {
                    guard let module = Range(match.range(at: 1), in: file.text).map({ String(file.text[$0]) }),
                        module != target.name, !Self.toolchain.contains(module),
                        !target.dependencies.contains(module)
                    else { continue }
                    undeclared.append("\(file.path): \(module) (declare it in \(target.name)'s dependencies)")
                }
            }
        }
        #expect(undeclared.isEmpty, "\(undeclared.sorted().joined(separator: "\n"))")
    }
}
