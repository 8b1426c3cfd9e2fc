import App
import Foundation
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

/// Enrichment through the job queue against the Apollo sandbox over real HTTP, on both databases.
@Suite struct EnrichmentTests {
    @Test(arguments: TestDatabases.kinds)
    func enrichesEveryEligibleLeadInBatchesOfTenAndASecondRunPaysNothing(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let sourced = try await h.source(57)
            #expect(sourced.added == 57)
            try await h.addStrangers(5)

            let run = try await h.app.enrichment.start(
                workspace: h.workspace, selection: EnrichmentSelection(), budget: nil)
            try await h.drain()
            let done = try #require(try await h.app.stores.enrichment.run(run.id))
            #expect(done.status == .succeeded)
            #expect(done.leadsSelected == 62)
            #expect(done.leadsEnriched == 57)
            #expect(done.leadsNotFound == 5)
            #expect(done.batchesTotal == 7)
            #expect(done.spent == 57)

            let ledger = try await h.apolloLedger()
            #expect(ledger.credits == 57)
            #expect(ledger.calls["people/bulk_match"] == 7)
            #expect(ledger.charges.values.allSatisfy { $0 == 1 })

            // The leads now carry what Apollo knows: last names, employers, and unlocked e-mails.
            let leads = try await h.allLeads()
            #expect(leads.count == 62)
            let enriched = leads.filter { $0.fields.apolloPersonID != nil }
            #expect(enriched.allSatisfy { $0.fields.lastName != nil && $0.companyID != nil })
            #expect(enriched.allSatisfy { $0.status == .enriched })
            #expect(enriched.filter { $0.fields.email != nil }.count >= 40)

            // Nothing is eligible again; taking the enriched leads anyway is answered from the cache.
            let second = try await h.app.enrichment.start(
                workspace: h.workspace, selection: EnrichmentSelection(), budget: nil)
            try await h.drain()
            #expect(try await h.app.stores.enrichment.run(second.id)?.leadsSelected == 0)
            let again = try await h.app.enrichment.start(
                workspace: h.workspace, selection: EnrichmentSelection(includeEnriched: true), budget: nil)
            try await h.drain()
            let cached = try #require(try await h.app.stores.enrichment.run(again.id))
            #expect(cached.leadsFromCache == 62)
            #expect(cached.spent == 0)
            let after = try await h.apolloLedger()
            #expect(after.credits == 57)
            #expect(after.calls["people/bulk_match"] == 7)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func theBudgetIsNeverOverrunWithManyWorkers(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind, concurrency: 8) { h in
            _ = try await h.source(80)
            let run = try await h.app.enrichment.start(
                workspace: h.workspace, selection: EnrichmentSelection(), budget: 25)
            try await h.drain()
            let done = try #require(try await h.app.stores.enrichment.run(run.id))
            #expect(done.status == .budgetExhausted)
            #expect(done.spent <= 25)
            #expect(done.reserved == 0)
            #expect(done.leadsEnriched == 25)
            #expect(done.leadsOverBudget == 55)
            #expect(try await h.apolloLedger().credits <= 25)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func rateLimitsAndServerErrorsAreWaitedOut(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            _ = try await h.source(30)
            // Seven 429s outlast the transport's five attempts: the job itself waits and tries again.
            try await planSandboxFault(h.root, path: "/people/bulk_match", status: 429, count: 7)
            try await planSandboxFault(h.root, path: "/people/bulk_match", status: 503, count: 2)
            let run = try await h.app.enrichment.start(
                workspace: h.workspace, selection: EnrichmentSelection(), budget: nil)
            try await h.drain()
            let done = try #require(try await h.app.stores.enrichment.run(run.id))
            #expect(done.status == .succeeded)
            #expect(done.leadsEnriched == 30)
            #expect(done.spent == 30)
            #expect(try await h.apolloLedger().credits == 30)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aTimedOutCallIsNotRepeatedSoNothingIsPaidTwice(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            _ = try await h.source(10)
            // The sandbox answers after the client gave up: Apollo may have charged, so Leadgen must not ask again.
            try await planSandboxFault(
                h.root, path: "/people/bulk_match", status: 200, count: 1, delayMilliseconds: 3000)
            let run = try await h.app.enrichment.start(
                workspace: h.workspace, selection: EnrichmentSelection(), budget: nil)
            try await h.drain()
            let done = try #require(try await h.app.stores.enrichment.run(run.id))
            #expect(done.leadsInterrupted == 10)
            #expect(try await h.apolloLedger().calls["people/bulk_match"] == 1)
            // A later run takes them again.
            let retry = try await h.app.enrichment.start(
                workspace: h.workspace, selection: EnrichmentSelection(), budget: nil)
            try await h.drain()
            #expect(try await h.app.stores.enrichment.run(retry.id)?.leadsEnriched == 10)
        }
    }
}
