import Foundation
import Testing

@testable import LeadgenCore

@Suite struct IDGeneratorTests {
    @Test func versionSevenIDsAreStrictlyIncreasingEvenWithinAMillisecond() {
        let ids = (0..<10_000).map { _ in IDGenerator.uuidV7() }
        #expect(ids == ids.sorted(), "time-ordered, and counted up within a millisecond")
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil && Array($0)[14] == "7" })
    }
}
