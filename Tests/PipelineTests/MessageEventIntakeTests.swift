import Testing

@testable import Pipeline

@Suite struct MessageEventIntakeTests {
    @Test func inboundSMSIsReadByTwilioOptOutTypeElseByItsOneKeyword() {
        #expect(MessageEventIntake.smsKind(keyword: "STOPALL", optOutType: nil) == "sms_stop")
        #expect(MessageEventIntake.smsKind(keyword: "UNSTOP", optOutType: nil) == "sms_start")
        #expect(MessageEventIntake.smsKind(keyword: "INFO", optOutType: nil) == "sms_help")
        #expect(MessageEventIntake.smsKind(keyword: "PLEASE STOP", optOutType: nil) == "replied")
        // A custom opt-out keyword configured in Twilio arrives with OptOutType.
        #expect(MessageEventIntake.smsKind(keyword: "ARRÊT", optOutType: "stop") == "sms_stop")
    }

    @Test func onlyOptOutsSuppressAnAddress() {
        #expect(MessageEventIntake.suppressionReason(emailEvent: "bounced") == "bounced")
        #expect(MessageEventIntake.suppressionReason(emailEvent: "dropped_spam_report") == "spam_report")
        #expect(MessageEventIntake.suppressionReason(emailEvent: "unsubscribed") == "unsubscribed")
        for kind in ["delivered", "opened", "clicked", "replied", "deferred", "blocked", "dropped"] {
            #expect(MessageEventIntake.suppressionReason(emailEvent: kind) == nil, "\(kind)")
        }
    }
}
