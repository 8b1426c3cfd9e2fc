import Foundation
import LeadgenCore
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Providers

/// The Apollo client against the sandbox over real HTTP: every documented success and error path.
@Suite struct ApolloClientTests {
    static let noSleep: @Sendable (TimeInterval) async throws -> Void = { _ in }

    func client(
        _ root: URL, key: String = SandboxOptions.apolloAPIKey, logger: Logger = TestDatabases.logger,
        limiter: RateLimiter? = nil
    ) -> ApolloClient {
        var endpoint = ApolloClient.endpoint(
            apiKey: key, baseURL: root.appendingPathComponent("api/v1"), timeout: .seconds(5), limiter: limiter)
        endpoint.maxAttempts = 3
        return ApolloClient(
            transport: ProviderTransport(logger: logger, time: .system, sleep: Self.noSleep, backoff: { _ in 0 }),
            endpoint: endpoint)
    }

    func options(people: Int = 600, cap: Int = 50_000, scale: Double = 100) -> SandboxOptions {
        var options = SandboxOptions()
        options.people = people
        options.searchRecordCap = cap
        options.rateLimitScale = scale
        return options
    }

    @Test func searchReturnsTheTotalAndMaskedPeople() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let page = try await client(root).searchPeople(
                ApolloPeopleQuery(personSeniorities: ["vp", "director"]), page: 1, perPage: 25)
            #expect(page.totalEntries > 25)
            #expect(page.people.count == 25)
            let person = try #require(page.people.first)
            #expect(person.lastNameObfuscated?.contains("***") == true)
            #expect(person.organization?.name != nil)
        }
    }

    @Test func aSearchOverTheCapIsSplitByFacetsUntilEveryPersonIsFound() async throws {
        // 3,000 people, at most 100 shown per query: seniority alone (~270 each) is not enough, so the
        // walker splits again by company size.
        try await withLiveSandbox(options(people: 3000, cap: 100)) { root, _ in
            let search = ApolloPeopleSearch(client: client(root), recordCap: 100, perPage: 50)
            var ids = Set<String>()
            var reported = 0
            let summary = try await search.run(ApolloPeopleQuery()) { people in
                reported += people.count
                ids.formUnion(people.map(\.id))
                return people.count
            }
            #expect(summary.totalEntries == 3000)
            #expect(summary.unreachable == 0)
            #expect(ids.count == 3000)
            #expect(reported == 3000)
            #expect(summary.people == 3000)
        }
    }

    @Test func aSearchStopsAtTheLimit() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let search = ApolloPeopleSearch(client: client(root), perPage: 20)
            var got = 0
            let summary = try await search.run(ApolloPeopleQuery(), limit: 45) { people in
                got += people.count
                return people.count
            }
            #expect(got == 45)
            #expect(summary.people == 45)
            #expect(summary.calls == 3)
        }
    }

    @Test func bulkMatchAnswersPositionallyWithNullForNoMatch() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let apollo = client(root)
            let found = try await apollo.searchPeople(ApolloPeopleQuery(), page: 1, perPage: 3).people
            let details =
                found.map { ApolloMatchDetails(id: $0.id) } + [ApolloMatchDetails(email: "nobody@nowhere.example")]
            let result = try await apollo.bulkMatch(details)
            #expect(result.matches.count == 4)
            #expect(result.matches[3] == nil)
            #expect(result.matches.prefix(3).map { $0?.id } == found.map(\.id))
            #expect(result.creditsConsumed == 3)
            let ledger = try await sandboxLedger(root, "apollo")
            #expect(ledger["credits_consumed"] as? Double == 3)
        }
    }

    @Test func aLockedEmailIsNoAddress() async throws {
        try await withLiveSandbox(options(people: 400)) { root, _ in
            let apollo = client(root)
            var locked: ApolloPerson?
            var page = 1
            while locked == nil, page <= 4 {
                let ids = try await apollo.searchPeople(ApolloPeopleQuery(), page: page, perPage: 100).people.map(\.id)
                for chunk in stride(from: 0, to: ids.count, by: 10) {
                    let batch = ids[chunk..<min(ids.count, chunk + 10)].map { ApolloMatchDetails(id: $0) }
                    let result = try await apollo.bulkMatch(Array(batch))
                    locked =
                        locked ?? result.matches.compactMap { $0 }.first { $0.email == "email_not_unlocked@domain.com" }
                }
                page += 1
            }
            let person = try #require(locked)
            #expect(person.unlockedEmail == nil)
            let input = try person.leadInput()
            #expect(input.fields.email == nil)
            #expect(input.fields.apolloPersonID == person.id)
            #expect(input.company?.domain != nil)
        }
    }

    @Test func moreThanTenPeopleAreRefusedBeforeAnyCall() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let details = (0..<11).map { ApolloMatchDetails(email: "p\($0)@acme.example") }
            await #expect(throws: ApolloError.self) { try await client(root).bulkMatch(details) }
            let ledger = try await sandboxLedger(root, "apollo")
            #expect((ledger["calls"] as? [String: Int])?["people/bulk_match"] == nil)
        }
    }

    @Test func bulkErrorBodiesAreReadWithTheirCodes() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let transport = ProviderTransport(
                logger: TestDatabases.logger, time: .system, sleep: Self.noSleep, backoff: { _ in 0 })
            let endpoint = ApolloClient.endpoint(
                apiKey: SandboxOptions.apolloAPIKey, baseURL: root.appendingPathComponent("api/v1"), limiter: nil)
            func send(_ body: String) async throws -> ApolloError? {
                do {
                    _ = try await transport.send(
                        ProviderRequest(.post, "/people/bulk_match", json: Data(body.utf8), isIdempotent: false),
                        to: endpoint)
                    return nil
                } catch let error as ProviderError {
                    return ApolloError.from(error)
                }
            }
            let eleven = (0..<11).map { #"{"email":"p\#($0)@a.example"}"# }.joined(separator: ",")
            let tooMany = try await send(#"{"details":[\#(eleven)]}"#)
            #expect(
                tooMany
                    == .invalidRequest(
                        status: 400, code: "RECORD_LIMIT_EXCEEDED",
                        message: "cannot enrich more than 10 in a single request"))
            let missing = try await send("{}")
            #expect(
                missing
                    == .invalidRequest(
                        status: 400, code: "INVALID_REQUEST", message: "invalid request, missing details"))
            let malformed = try await send(#"{"details":"everyone"}"#)
            #expect(
                malformed
                    == .invalidRequest(
                        status: 422, code: "UNKNOWN_ERROR", message: "no implicit conversion of Symbol into Integer"))
        }
    }

    @Test func aWrongKeyIsUnauthorized() async throws {
        try await withLiveSandbox(options()) { root, _ in
            do {
                _ = try await client(root, key: "wrong").searchPeople(ApolloPeopleQuery(), page: 1)
                Issue.record("expected a 401")
            } catch let error as ApolloError {
                guard case .unauthorized(let message) = error else { throw error }
                #expect(message.contains("Invalid API key"))
            }
        }
    }

    @Test func aPhoneRequestIsReadFromTheMatchElseTheCall() throws {
        func wire(_ json: String) throws -> ApolloPhoneRequest.Wire {
            try JSONDecoder().decode(ApolloPhoneRequest.Wire.self, from: Data(json.utf8))
        }
        let numeric = try wire(#"{"request_id": -7212345678901234567}"#)
        #expect(numeric.requestID == "-7212345678901234567", "a signed 64-bit id sent as a number")
        #expect(try wire(#"{"request_id": "99"}"#).requestID == "99")
        let skipped = try wire(#"{"status": "SKIPPED", "message": "no number"}"#)
        #expect(ApolloPhoneRequest.of(match: nil, call: skipped, callRequestID: "1") == .skipped(reason: "no number"))
        #expect(
            ApolloPhoneRequest.of(match: numeric, call: skipped, callRequestID: "1")
                == .pending(requestID: "-7212345678901234567"), "the match's own state wins")
        #expect(ApolloPhoneRequest.of(match: nil, call: nil, callRequestID: "42") == .pending(requestID: "42"))
        #expect(try wire(#"{"status": 3, "request_id": {}}"#).requestID == nil, "odd shapes are ignored, not fatal")
    }

    @Test func aKeyWithoutTheEndpointInItsScopeIsForbidden() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let apollo = client(root, key: SandboxOptions.apolloSearchOnlyKey)
            _ = try await apollo.searchPeople(ApolloPeopleQuery(), page: 1, perPage: 5)
            do {
                _ = try await apollo.bulkMatch([ApolloMatchDetails(email: "a@b.example")])
                Issue.record("expected a 403")
            } catch let error as ApolloError {
                guard case .forbidden(let code, let message) = error else { throw error }
                #expect(code == "API_INACCESSIBLE")
                #expect(message.contains("api/v1/people/bulk_match"))
                #expect(!error.isTransient)
            }
        }
    }

    @Test func aSearchIsRetriedAfterA5xxButAPaidCallIsNot() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let apollo = client(root)
            try await planSandboxFault(root, path: "/mixed_people/api_search", status: 503)
            let page = try await apollo.searchPeople(ApolloPeopleQuery(), page: 1, perPage: 5)
            #expect(page.people.count == 5)

            try await planSandboxFault(root, path: "/people/bulk_match", status: 502)
            do {
                _ = try await apollo.bulkMatch([ApolloMatchDetails(id: page.people[0].id)])
                Issue.record("expected the 502 to be reported")
            } catch let error as ApolloError {
                guard case .unavailable = error else { throw error }
                #expect(error.isTransient)
            }
            let ledger = try await sandboxLedger(root, "apollo")
            #expect((ledger["calls"] as? [String: Int])?["people/bulk_match"] == 1)
        }
    }

    @Test func aUsedUpWindowEndsInARateLimitNamingTheLimit() async throws {
        // A scale of 0.05 leaves bulk_match one call per minute. The sandbox's clock stands still at the start
        // of a minute, so both calls fall in one window (on the wall clock a minute could turn between them).
        try await withLiveSandbox(options(scale: 0.05), now: { Date(timeIntervalSince1970: 1_800_000_000) }) {
            root, _ in
            let apollo = client(root)
            _ = try await apollo.bulkMatch([ApolloMatchDetails(email: "a@acme.example")])
            do {
                _ = try await apollo.bulkMatch([ApolloMatchDetails(email: "b@acme.example")])
                Issue.record("expected a 429")
            } catch let error as ApolloError {
                guard case .rateLimited(let message, _) = error else { throw error }
                #expect(message.contains("api/v1/people/bulk_match is 1 times per minute"))
            }
        }
    }

    @Test func aRateLimitFollowedBySuccessIsTransparent() async throws {
        try await withLiveSandbox(options()) { root, _ in
            try await planSandboxFault(root, path: "/people/bulk_match", status: 429, retryAfter: 1)
            let result = try await client(root).bulkMatch([ApolloMatchDetails(email: "x@nowhere.example")])
            #expect(result.matches == [nil])
        }
    }

    @Test func invalidParametersAreReportedWithApollosMessage() async throws {
        try await withLiveSandbox(options()) { root, _ in
            do {
                _ = try await client(root).searchPeople(
                    ApolloPeopleQuery(employeeRanges: ["lots"]), page: 1, perPage: 10)
                Issue.record("expected a 422")
            } catch let error as ApolloError {
                #expect(error == .invalidRequest(status: 422, code: nil, message: "Invalid parameters"))
            }
        }
    }

    @Test func organizationsAreEnrichedByDomain() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let apollo = client(root)
            let organization = try #require(try await apollo.enrichOrganization(domain: "northwindlabs.com"))
            #expect(organization.name == "Northwind Labs")
            #expect(organization.estimatedNumEmployees != nil)
            let many = try await apollo.bulkEnrichOrganizations(domains: ["northwindlabs.com", "unknown.example"])
            #expect(many.map(\.primaryDomain) == ["northwindlabs.com"])
            #expect(try await apollo.enrichOrganization(domain: "unknown.example") == nil)
        }
    }

    @Test func theKeyNeverReachesALogLine() async throws {
        try await withLiveSandbox(options()) { root, _ in
            let lines = ProviderTransportTests.LogLines()
            let logger = Logger(label: "test") { _ in ProviderTransportTests.Capturing(lines: lines) }
            _ = try await client(root, logger: logger).searchPeople(ApolloPeopleQuery(), page: 1, perPage: 5)
            _ = try? await client(root, key: "wrong-key-\(SandboxOptions.apolloAPIKey)", logger: logger)
                .bulkMatch([ApolloMatchDetails(email: "a@b.example")])
            #expect(lines.all.contains("apollo"))
            #expect(!lines.all.contains(SandboxOptions.apolloAPIKey))
        }
    }

    @Test(
        arguments: [
            (["x-minute-requests-left": "5", "x-hourly-requests-left": "0", "x-daily-requests-left": "9"], 0, 3600.0),
            (["x-minute-requests-left": "3", "x-24-hour-requests-left": "0"], 0, 86400.0),
            (["x-minute-requests-left": "3", "x-hourly-requests-left": "40"], 3, 60.0),
        ] as [([String: String], Int, Double)])
    func quotaHeadersNameTheWindowThatRunsOut(headers: [String: String], remaining: Int, resetIn: Double) {
        let response = ProviderResponse(
            status: 200, headers: headers.map { ($0.key, $0.value) }, body: Data(), receivedAt: Date())
        #expect(ApolloRateLimitHeaders.quota(response) == RateQuota(remaining: remaining, resetIn: resetIn))
    }
}
