import App
import Foundation
import Hummingbird
import Storage
import TestSupport
import Testing

@testable import WebApp

/// `docs/openapi.yaml` and the router must describe the same API: every documented operation is routed,
/// and every API route is documented.
@Suite struct OpenAPIDriftTests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path

    /// "METHOD /path/{param}" for each operation under `paths:`.
    static func documentedOperations() throws -> Set<String> {
        let lines = try String(contentsOfFile: specPath, encoding: .utf8).components(separatedBy: "\n")
        var operations = Set<String>()
        var path: String?
        var inPaths = false
        for line in lines {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, !line.isEmpty, !line.hasPrefix(" ") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            for method in ["get", "post", "put", "patch", "delete"]
            where line.hasPrefix("    \(method):") && trimmed == "\(method):" {
                if let path { operations.insert("\(method.uppercased()) \(path)") }
            }
        }
        return operations
    }

    @Test func routerAndSpecAgree() async throws {
        try await TestDatabases.withFresh(.sqlite) { database, _ async throws in
            let router = try await buildRouter(AppRoot.testing(database), web: WebSettings(maxBodySize: 1024))
            let routed = Set(
                router.routes.map { route -> String in
                    let path = route.path.description.split(separator: "/").map { segment in
                        segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
                    }
                    return "\(route.method) /" + path.joined(separator: "/")
                }
                .filter { $0.contains(" /api/") || $0.hasSuffix("z") })
            let documented = try Self.documentedOperations()
            #expect(!documented.isEmpty)
            #expect(routed.subtracting(documented).sorted() == [], "routes missing from docs/openapi.yaml")
            #expect(documented.subtracting(routed).sorted() == [], "documented operations with no route")
        }
    }

    /// The event types under `webhooks:`, each "  type:" at the top of the section.
    static func documentedEvents() throws -> Set<String> {
        let lines = try String(contentsOfFile: specPath, encoding: .utf8).components(separatedBy: "\n")
        var events = Set<String>()
        var inWebhooks = false
        for line in lines {
            if line.hasPrefix("webhooks:") { inWebhooks = true; continue }
            if inWebhooks, !line.isEmpty, !line.hasPrefix(" ") { break }
            if inWebhooks, line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                events.insert(String(line.dropFirst(2).dropLast()))
            }
        }
        return events
    }

    @Test func everyWebhookEventIsDocumented() throws {
        #expect(try Self.documentedEvents() == Set(WebhookEndpoint.eventTypes))
    }
}
