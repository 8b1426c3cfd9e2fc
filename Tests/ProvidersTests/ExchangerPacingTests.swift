import Foundation
import Synchronization
import Testing

@testable import Providers

/// Each mail exchanger is asked at its own pace; one that greylisted is left alone for a while; others wait
/// for nobody.
@Suite struct ExchangerPacingTests {
    /// A clock that only moves when the pacing sleeps.
    final class Clock: Sendable {
        let time = Mutex<Double>(0)
        var now: Double { time.withLock { $0 } }
        func sleep(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    @Test func oneExchangerIsAskedAtItsPaceAndOthersDoNotWait() async throws {
        let clock = Clock()
        let pacing = ExchangerPacing(perSecond: 2, now: { clock.now }, sleep: { clock.sleep($0) })
        try await pacing.wait(for: "mx1.example")
        #expect(clock.now == 0)
        try await pacing.wait(for: "MX1.example")
        #expect(abs(clock.now - 0.5) < 1e-9, "the same exchanger, whatever the case: half a second later")
        try await pacing.wait(for: "mx2.example")
        #expect(abs(clock.now - 0.5) < 1e-9, "another exchanger does not wait")

        await pacing.slowDown("mx2.example", for: 60)
        try await pacing.wait(for: "mx2.example")
        #expect(clock.now >= 60.5, "an exchanger that greylisted is left alone for a minute")
    }
}
