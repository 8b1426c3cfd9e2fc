import Foundation
import Testing

/// The application is wired in one place. A store built anywhere but the composition root brings its own
/// clock and id source with it (how a test once came to depend on today's date); the worker does not pull in
/// the web layer; the sandbox is wired into the settings in one place.
@Suite struct CompositionRootTests {
    static var packageFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Every Swift file under `folder` ("Sources", "Tests"), as (path from the package, text).
    static func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let root = packageFolder.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return []
        }
        return try walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.map { url in
            (String(url.path.dropFirst(packageFolder.path.count + 1)), try String(contentsOf: url, encoding: .utf8))
        }
    }

    /// "path:line" of each match of `pattern` (over whole text, so a call split over lines is found).
    static func matches(_ pattern: String, in files: [(path: String, text: String)]) throws -> [String] {
        let rule = try NSRegularExpression(pattern: pattern)
        return files.flatMap { file in
            rule.matches(in: file.text, range: NSRange(file.text.startIndex..., in: file.text)).map { match in
                let prefix = (file.text as NSString).substring(to: match.range.location)
                return "\(file.path):\(prefix.split(separator: "\n", omittingEmptySubsequences: false).count)"
            }
        }
    }

    /// Where a store may be built: the root, the stores themselves, and the stores' own tests and programs.
    static let mayBuildStores = [
        "Sources/App/Stores.swift",
        "Sources/Storage/",
        "Tests/StorageTests/",
        // A worker process whose job traps, for the queue's crash-loop test.
        "Tests/CrashingWorker/",
        // The job queue's own benchmark, one queue per simulated process.
        "Sources/QueueBench/",
    ]

    @Test func noStoreIsBuiltOutsideTheCompositionRoot() throws {
        let files = try Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Tests")
        #expect(files.count > 200, "the scan found the code")
        let outside = files.filter { file in !Self.mayBuildStores.contains { file.path.hasPrefix($0) } }
        let pattern = #"\b[A-Z]\w*(Store|Queue|Ingestor|Scheduler|Records)\s*\(\s*database\s*:"#
        let found = try Self.matches(pattern, in: outside)
        let list = found.joined(separator: "\n")
        #expect(found.isEmpty, "stores built outside the root (take them from AppRoot.stores):\n\(list)")
        // The rule finds what it is meant to find.
        #expect(try Self.matches(pattern, in: [("x", "LeadStore(\n  database: db, ids: ids, time: time)")]) == ["x:1"])
    }

    @Test func theWorkerAndTheCommandsButServeDoNotImportTheWebLayer() throws {
        // `serve` runs the web application.
        let allowed: Set = ["Sources/leadgen/ServeCommand.swift"]
        let commands = try Self.swiftFiles(under: "Sources/leadgen").filter { !allowed.contains($0.path) }
        #expect(commands.contains { $0.path == "Sources/leadgen/WorkerCommand.swift" })
        let found = try Self.matches(#"(?m)^import WebApp$"#, in: commands)
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func theSandboxIsWiredIntoTheSettingsInOnePlace() throws {
        let files = try Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Tests")
        let pattern = #"(apolloAPIKey|hubspotAccessToken|sendgridAPIKey)\s*=\s*SandboxOptions\."#
        let found = try Self.matches(pattern, in: files)
        #expect(found.count == 3, "\(found)")
        #expect(Set(found.map { $0.split(separator: ":")[0] }) == ["Sources/App/ProviderSettings+Sandbox.swift"])
    }

    @Test func productionCodeReadsAndWritesJSONThroughTheOneJSONType() throws {
        // The sandbox's fakes stand in for the vendors and are exempt: they are not the product.
        let files = try Self.swiftFiles(under: "Sources").filter { !$0.path.hasPrefix("Sources/Sandbox/") }
        let found = try Self.matches(#"\[String: Any\]|JSONSerialization\.(jsonObject|data)\("#, in: files)
        #expect(found.isEmpty, "use LeadgenCore's JSON and JSONReader:\n\(found.joined(separator: "\n"))")
        #expect(try Self.matches(#"\[String: Any\]"#, in: [("x", "let o: [String: Any] = [:]")]) == ["x:1"])
    }
}
