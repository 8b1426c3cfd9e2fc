import Foundation
import Storage
import Testing

@testable import WebApp

@Suite struct LeadgenConfigTests {
    let noDotEnv = "/nonexistent/.env"

    @Test func defaults() async throws {
        let config = try await LeadgenConfig.load(environment: [:], dotEnvPath: noDotEnv)
        #expect(config.databaseURL == .sqlite(path: "data/leadgen.sqlite"))
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.logFormat == .text)
    }

    @Test func flagsBeatEnvironmentWhichBeatsDotEnv() async throws {
        let dotEnv = FileManager.default.temporaryDirectory.appendingPathComponent("leadgen-\(UUID()).env").path
        try "LEADGEN_PORT=7000\nLEADGEN_HOST=0.0.0.0\nLEADGEN_LOG_FORMAT=json\n".write(
            toFile: dotEnv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: dotEnv) }
        let config = try await LeadgenConfig.load(
            overrides: ["LEADGEN_PORT": "9000"],
            environment: [
                "LEADGEN_PORT": "8000", "LEADGEN_HOST": "10.1.2.3", "DATABASE_URL": "postgres://u:p@db:5432/lg",
            ],
            dotEnvPath: dotEnv)
        #expect(config.port == 9000)
        #expect(config.host == "10.1.2.3")
        #expect(config.logFormat == .json)
        #expect(config.databaseURL == .postgres(url: "postgres://u:p@db:5432/lg"))
        #expect(config.databaseURL.description == "postgres://u:redacted@db:5432/lg")
    }

    @Test(arguments: [
        (
            "LEADGEN_PORT", "http",
            "configuration error: LEADGEN_PORT: expected a port number from 1 to 65535, got 'http'"
        ),
        (
            "LEADGEN_PORT", "70000",
            "configuration error: LEADGEN_PORT: expected a port number from 1 to 65535, got '70000'"
        ),
        ("LEADGEN_LOG_FORMAT", "xml", "configuration error: LEADGEN_LOG_FORMAT: expected text or json, got 'xml'"),
        (
            "DATABASE_URL", "mysql://x",
            "configuration error: DATABASE_URL: expected sqlite:PATH or postgres://user:password@host:port/database"
        ),
        ("DATABASE_URL", "sqlite:", "configuration error: DATABASE_URL: sqlite: needs a file path"),
    ])
    func malformedSettingsAreNamed(name: String, value: String, message: String) async {
        await #expect {
            _ = try await LeadgenConfig.load(environment: [name: value], dotEnvPath: noDotEnv)
        } throws: { error in
            (error as? ConfigError)?.description == message
        }
    }
}
