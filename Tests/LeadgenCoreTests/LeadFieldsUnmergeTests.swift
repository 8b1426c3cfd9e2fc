import Foundation
import LeadgenCore
import Testing

/// Undoing a merge takes back what it set and added, and keeps what changed since.
@Suite struct LeadFieldsUnmergeTests {
    @Test func whatTheMergeSetGoesBackUnlessChangedSince() throws {
        var before = LeadFields()
        before.firstName = "Ada"
        before.email = try EmailAddress(parsing: "ada@work.example")
        before.tags = ["vip"]
        var after = before
        after.title = "Countess"
        after.city = "London"
        after.otherEmails = [try EmailAddress(parsing: "ada@home.example")]
        after.tags = ["vip", "london"]
        after.customFields = ["source": "fair"]

        var now = after
        now.city = "Paris"
        now.tags.append("speaker")
        now.owner = "bob"
        let undone = try now.undoingMerge(before: before, after: after)
        #expect(undone.title == nil && undone.customFields.isEmpty, "set by the merge, unchanged since: gone")
        #expect(undone.city == "Paris", "changed since: kept")
        #expect(undone.otherEmails.isEmpty)
        #expect(undone.tags == ["vip", "speaker"], "what the merge added is taken out, what came since stays")
        #expect(undone.owner == "bob" && undone.firstName == "Ada")
        #expect(try after.undoingMerge(before: before, after: after) == before)
    }
}
