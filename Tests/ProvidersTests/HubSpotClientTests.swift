import Foundation
import LeadgenCore
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Providers

/// The HubSpot client against the sandbox over real HTTP.
@Suite struct HubSpotClientTests {
    func client(_ root: URL, token: String = SandboxOptions.hubspotToken) -> HubSpotClient {
        var endpoint = HubSpotClient.endpoint(accessToken: token, baseURL: root, timeout: .seconds(5), limiter: nil)
        endpoint.maxAttempts = 3
        return HubSpotClient(
            transport: ProviderTransport(
                logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 }),
            endpoint: endpoint)
    }

    var options: SandboxOptions {
        var options = SandboxOptions()
        options.people = 10
        options.rateLimitScale = 100
        return options
    }

    static let companyKey = HubSpotPropertyDefinition(
        name: "leadgen_company_id", label: "Leadgen company id", groupName: "companyinformation", hasUniqueValue: true)

    @Test func contactsAreUpsertedByEmailWithoutDuplicates() async throws {
        try await withLiveSandbox(options) { root, _ in
            let hubspot = client(root)
            let first = try await hubspot.upsert(
                "contacts", idProperty: "email",
                [
                    HubSpotInput(id: "ada@acme.example", properties: ["firstname": "Ada"]),
                    HubSpotInput(id: "alan@acme.example", properties: ["firstname": "Alan"]),
                ])
            #expect(first.results.count == 2)
            #expect(first.results.allSatisfy { $0.new == true })
            let again = try await hubspot.upsert(
                "contacts", idProperty: "email",
                [HubSpotInput(id: "ada@acme.example", properties: ["firstname": "Ada", "lastname": "Lovelace"])])
            #expect(again.results.first?.new == false)
            #expect(again.results.first?.id == first.results.first { $0.property("email") == "ada@acme.example" }?.id)
            let read = try await hubspot.read("contacts", id: "ada@acme.example", idProperty: "email")
            #expect(read?.property("lastname") == "Lovelace")
            let ledger = try await sandboxLedger(root, "hubspot")
            #expect((ledger["contact_creations"] as? [String: Int]) == ["ada@acme.example": 1, "alan@acme.example": 1])
        }
    }

    @Test func aPartialFailureNamesTheRefusedInputs() async throws {
        try await withLiveSandbox(options) { root, _ in
            let result = try await client(root).upsert(
                "contacts", idProperty: "email",
                [
                    HubSpotInput(id: "grace@acme.example", properties: ["firstname": "Grace"]),
                    HubSpotInput(id: "kate@acme.example", properties: ["favourite_colour": "teal"]),
                ])
            #expect(result.results.map { $0.property("email") } == ["grace@acme.example"])
            #expect(result.errors.count == 1)
            #expect(result.errors.first?.ids == ["kate@acme.example"])
            #expect(result.errors.first?.message.contains("PROPERTY_DOESNT_EXIST") == true)
        }
    }

    @Test func aDuplicateContactIsAConflictNamingTheExistingRecord() async throws {
        try await withLiveSandbox(options) { root, _ in
            let hubspot = client(root)
            let created = try await hubspot.createContact(["email": "linus@acme.example"])
            do {
                _ = try await hubspot.createContact(["email": "LINUS@acme.example"])
                Issue.record("expected a 409")
            } catch let error as HubSpotError {
                #expect(
                    error
                        == .conflict(
                            existingID: created.id, message: "Contact already exists. Existing ID: \(created.id)"))
            }
        }
    }

    @Test func companiesCannotBeUpsertedByDomainButByAUniqueProperty() async throws {
        try await withLiveSandbox(options) { root, _ in
            let hubspot = client(root)
            do {
                _ = try await hubspot.upsert(
                    "companies", idProperty: "domain", [HubSpotInput(id: "acme.example", properties: ["name": "Acme"])])
                Issue.record("expected a 400")
            } catch let error as HubSpotError {
                guard case .rejected(400, "VALIDATION_ERROR", let message) = error else { throw error }
                #expect(message.contains("non-unique 0-2 property domain"))
            }
            try await hubspot.ensureProperty("companies", Self.companyKey)
            try await hubspot.ensureProperty("companies", Self.companyKey)
            let first = try await hubspot.upsert(
                "companies", idProperty: "leadgen_company_id",
                [HubSpotInput(id: "c-1", properties: ["name": "Acme", "domain": "acme.example"])])
            let second = try await hubspot.upsert(
                "companies", idProperty: "leadgen_company_id",
                [HubSpotInput(id: "c-1", properties: ["name": "Acme Inc", "domain": "acme.example"])])
            #expect(first.results.first?.id == second.results.first?.id)
            #expect(second.results.first?.new == false)
        }
    }

    @Test func contactsAreAssociatedWithTheirCompany() async throws {
        try await withLiveSandbox(options) { root, _ in
            let hubspot = client(root)
            try await hubspot.ensureProperty("companies", Self.companyKey)
            let company = try #require(
                try await hubspot.upsert(
                    "companies", idProperty: "leadgen_company_id",
                    [HubSpotInput(id: "c-9", properties: ["name": "Initech"])]
                ).results.first)
            let contact = try #require(
                try await hubspot.upsert(
                    "contacts", idProperty: "email", [HubSpotInput(id: "peter@initech.example", properties: [:])]
                ).results.first)
            let result = try await hubspot.associateContactsWithCompanies([(contact.id, company.id)])
            #expect(result.errors.isEmpty)
            let ledger = try await sandboxLedger(root, "hubspot")
            let associations = ledger["associations"] as? [String: [String: [Int]]]
            #expect(associations?[contact.id]?[company.id] == [279])
        }
    }

    @Test func persistentRateLimitingNamesThePolicy() async throws {
        try await withLiveSandbox(options) { root, _ in
            try await planSandboxFault(root, path: "/batch/upsert", status: 429, count: 3, retryAfter: 1)
            do {
                _ = try await client(root).upsert(
                    "contacts", idProperty: "email", [HubSpotInput(id: "a@b.example", properties: [:])])
                Issue.record("expected a 429")
            } catch let error as HubSpotError {
                guard case .rateLimited(let policy, _, let retryAfter) = error else { throw error }
                #expect(policy == "TEN_SECONDLY_ROLLING")
                #expect(retryAfter == 1)
                #expect(error.isTransient)
            }
        }
    }

    @Test func aServerErrorOnAnUpsertIsRetriedSafely() async throws {
        try await withLiveSandbox(options) { root, _ in
            try await planSandboxFault(root, path: "/batch/upsert", status: 502, count: 1)
            let result = try await client(root).upsert(
                "contacts", idProperty: "email", [HubSpotInput(id: "retry@b.example", properties: [:])])
            #expect(result.results.count == 1)
        }
    }

    @Test func aMissingScopeIsRefusedWithHubSpotsCategory() async throws {
        try await withLiveSandbox(options) { root, _ in
            try await planSandboxFault(root, path: "/contacts/batch/upsert", status: 403)
            do {
                _ = try await client(root).upsert(
                    "contacts", idProperty: "email", [HubSpotInput(id: "a@b.example", properties: [:])])
                Issue.record("expected a 403")
            } catch let error as HubSpotError {
                guard case .rejected(403, "MISSING_SCOPES", _) = error else { throw error }
            }
        }
    }

    @Test func aWrongTokenIsUnauthorized() async throws {
        _ = try await withLiveSandbox(options) { root, _ in
            await #expect(throws: HubSpotError.self) {
                _ = try await client(root, token: "pat-wrong").read("contacts", id: "1")
            }
        }
    }

    @Test func moreThanOneHundredInputsAreRefusedBeforeAnyCall() async throws {
        let inputs = (0...100).map { HubSpotInput(id: "p\($0)@b.example", properties: [:]) }
        await #expect(throws: HubSpotError.self) {
            _ = try await client(URL(string: "http://127.0.0.1:9")!).upsert("contacts", idProperty: "email", inputs)
        }
    }

    @Test func theQuotaHeadersPauseBeforeA429() {
        let response = ProviderResponse(
            status: 200,
            headers: [
                ("X-HubSpot-RateLimit-Remaining", "0"), ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"),
                ("X-HubSpot-RateLimit-Daily-Remaining", "5000"),
            ], body: Data(), receivedAt: Date())
        #expect(HubSpotRateLimitHeaders.quota(response) == RateQuota(remaining: 0, resetIn: 10))
    }

    @Test func webhookSignaturesFollowVersionThree() throws {
        let body = Data(#"[{"eventId":1}]"#.utf8)
        let uri = "https://example.com/webhooks/hubspot?x=1"
        // Computed independently with Python's hmac module.
        let expected = "IQrmlpyE+3OeEzjyx+0q1JBT2vw3wVRMHN9SZot9U9Q="
        #expect(
            HubSpotWebhookSignature.sign(
                secret: "client-secret", method: "POST", uri: uri, body: body, timestamp: "1700000000000") == expected)
        let now = Date(timeIntervalSince1970: 1_700_000_100)
        try HubSpotWebhookSignature.verify(
            secret: "client-secret", method: "POST", uri: "https%3A%2F%2Fexample.com%2Fwebhooks%2Fhubspot%3Fx=1",
            body: body, signature: expected, timestamp: "1700000000000", now: now)
        #expect(throws: HubSpotWebhookSignature.Failure.stale) {
            try HubSpotWebhookSignature.verify(
                secret: "client-secret", method: "POST", uri: uri, body: body, signature: expected,
                timestamp: "1700000000000", now: now.addingTimeInterval(301))
        }
        #expect(throws: HubSpotWebhookSignature.Failure.mismatch) {
            try HubSpotWebhookSignature.verify(
                secret: "other", method: "POST", uri: uri, body: body, signature: expected,
                timestamp: "1700000000000", now: now)
        }
    }
}
