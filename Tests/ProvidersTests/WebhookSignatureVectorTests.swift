import Crypto
import Foundation
import Testing

@testable import Providers

/// The messaging vendors' webhook signatures against the test vectors their own SDKs publish (reference
/// docs/reference/messaging.md §1.3, §2.3, §3.4).
@Suite struct WebhookSignatureVectorTests {
    // MARK: SendGrid (sendgrid-python's test)

    static let sendGridKey =
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g=="
    static let sendGridSignature =
        "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM="
    static let sendGridPayload = Data(
        (#"[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]"#
            + "\r\n").utf8)

    @Test func sendGridsVectorVerifiesAndItsNegativesDoNot() throws {
        #expect(
            try SendGridEventSignature.isValid(
                publicKey: Self.sendGridKey, signature: Self.sendGridSignature, timestamp: "1600112502",
                body: Self.sendGridPayload))
        #expect(
            try !SendGridEventSignature.isValid(
                publicKey: Self.sendGridKey, signature: Self.sendGridSignature, timestamp: "1600112502",
                body: Self.sendGridPayload.dropLast(2)), "the trailing CRLF is part of the signed bytes")
        #expect(
            try !SendGridEventSignature.isValid(
                publicKey: Self.sendGridKey, signature: Self.sendGridSignature, timestamp: "timestamp",
                body: Self.sendGridPayload))
        let other = P256.Signing.PrivateKey().publicKey.derRepresentation.base64EncodedString()
        #expect(
            try !SendGridEventSignature.isValid(
                publicKey: other, signature: Self.sendGridSignature, timestamp: "1600112502",
                body: Self.sendGridPayload))
        #expect(throws: SendGridEventSignature.Failure.badPublicKey) {
            try SendGridEventSignature.isValid(publicKey: "not a key", signature: "x", timestamp: "1", body: Data())
        }
    }

    @Test func sendGridDeliveriesAreCheckedForTime() throws {
        let signedAt = Date(timeIntervalSince1970: 1_600_112_502)
        try SendGridEventSignature.verify(
            publicKey: Self.sendGridKey, signature: Self.sendGridSignature, timestamp: "1600112502",
            body: Self.sendGridPayload, now: signedAt.addingTimeInterval(60))
        #expect(throws: SendGridEventSignature.Failure.stale) {
            try SendGridEventSignature.verify(
                publicKey: Self.sendGridKey, signature: Self.sendGridSignature, timestamp: "1600112502",
                body: Self.sendGridPayload, now: signedAt.addingTimeInterval(3600))
        }
        #expect(throws: SendGridEventSignature.Failure.missingHeaders) {
            try SendGridEventSignature.verify(
                publicKey: Self.sendGridKey, signature: nil, timestamp: "1600112502", body: Self.sendGridPayload,
                now: signedAt)
        }
    }

    // MARK: Mailgun (mailgun-php's test)

    @Test func mailgunsVectorVerifiesAndAnotherTokenDoesNot() throws {
        let key = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
        let signature = "9cfc5c41582e51246e73c88d34db3af0a3a2692a76fbab81492842f000256d33"
        #expect(
            MailgunWebhookSignature.isValid(
                signingKey: key, timestamp: "1403645220", token: "5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6",
                signature: signature))
        #expect(
            !MailgunWebhookSignature.isValid(
                signingKey: key, timestamp: "1403645220", token: "owyldpe6nxhmrn78epljl6bj0orrki1u3d2v5e6cnlmmuox8jr",
                signature: signature))
        #expect(throws: MailgunWebhookSignature.Failure.stale) {
            try MailgunWebhookSignature.verify(
                signingKey: key, timestamp: "1403645220", token: "5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6",
                signature: signature, now: Date())
        }
    }

    // MARK: Twilio (twilio-python's tests)

    static let twilioURL = "https://mycompany.com/myapp.php?foo=1&bar=2"
    static let twilioParameters = [
        ("CallSid", "CA1234567890ABCDE"), ("Digits", "1234"), ("From", "+14158675309"), ("To", "+18005551212"),
        ("Caller", "+14158675309"),
    ]

    @Test func twiliosVectorsVerify() {
        #expect(
            TwilioSignature.sign(authToken: "12345", url: Self.twilioURL, parameters: Self.twilioParameters)
                == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        #expect(
            TwilioSignature.isValid(
                authToken: "12345", url: Self.twilioURL, parameters: Self.twilioParameters,
                signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
        // Twilio signs with or without the default port: both are accepted.
        #expect(
            TwilioSignature.isValid(
                authToken: "12345", url: Self.twilioURL, parameters: Self.twilioParameters,
                signature: "kvajT1Ptam85bY51eRf/AJRuM3w="))
        #expect(
            TwilioSignature.isValid(
                authToken: "12345", url: "http://mycompany.com/myapp.php?foo=1&bar=2",
                parameters: Self.twilioParameters, signature: "0ZXoZLH/DfblKGATFgpif+LLRf4="))
        #expect(
            TwilioSignature.isValid(
                authToken: "12345", url: "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                parameters: Self.twilioParameters, signature: "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="))
        #expect(
            TwilioSignature.isValid(
                authToken: "12345", url: Self.twilioURL,
                parameters: [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")],
                signature: "IK+Dwps556ElfBT0I3Rgjkr1wJU="))
        #expect(
            !TwilioSignature.isValid(
                authToken: "54321", url: Self.twilioURL, parameters: Self.twilioParameters,
                signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8="), "another account's token")
        #expect(
            !TwilioSignature.isValid(
                authToken: "12345", url: Self.twilioURL, parameters: Self.twilioParameters.dropLast(),
                signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8="), "a parameter missing")
    }

    @Test func twiliosJSONVectorVerifiesThroughTheBodyHash() {
        let body = Data(#"{"property": "value", "boolean": true}"#.utf8)
        let hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        let url = Self.twilioURL + "&bodySHA256=" + hash
        #expect(
            TwilioSignature.isValid(
                authToken: "12345", url: url, jsonBody: body, signature: "a9nBmqA0ju/hNViExpshrM61xv4="))
        #expect(
            !TwilioSignature.isValid(
                authToken: "12345", url: url, jsonBody: Data(#"{"property": "other"}"#.utf8),
                signature: "a9nBmqA0ju/hNViExpshrM61xv4="), "a body that is not the one hashed")
    }

    // MARK: Standard Webhooks (the spec's reference test vector, §5.2), for our own outgoing webhooks

    static let standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let standardBody = Data(#"{"test": 2432232314}"#.utf8)
    static let standardSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    @Test func standardWebhooksVectorSignsAndVerifies() throws {
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
        let at = Date(timeIntervalSince1970: 1_614_265_330)
        #expect(
            try StandardWebhookSignature.sign(
                id: id, timestamp: 1_614_265_330, body: Self.standardBody, secret: Self.standardSecret)
                == Self.standardSignature)
        #expect(
            try StandardWebhookSignature.sign(
                id: id, timestamp: 1_614_265_330, body: Self.standardBody,
                secret: String(Self.standardSecret.dropFirst("whsec_".count))) == Self.standardSignature,
            "the secret works without its prefix")
        try StandardWebhookSignature.verify(
            id: id, timestamp: "1614265330", signature: "v1,bad v2,bad " + Self.standardSignature,
            body: Self.standardBody, secret: Self.standardSecret, now: at)
        #expect(throws: StandardWebhookSignature.Failure.mismatch) {
            try StandardWebhookSignature.verify(
                id: id, timestamp: "1614265330", signature: "v1,dawfeoifkpqwoekfpqoekf", body: Self.standardBody,
                secret: Self.standardSecret, now: at)
        }
        #expect(throws: StandardWebhookSignature.Failure.stale) {
            try StandardWebhookSignature.verify(
                id: id, timestamp: "1614265330", signature: Self.standardSignature, body: Self.standardBody,
                secret: Self.standardSecret, now: at.addingTimeInterval(301))
        }
        #expect(throws: StandardWebhookSignature.Failure.mismatch) {
            try StandardWebhookSignature.verify(
                id: "msg_other", timestamp: "1614265330", signature: Self.standardSignature,
                body: Self.standardBody, secret: Self.standardSecret, now: at)
        }
    }

    @Test func aRotatedEndpointIsSignedWithEachOfItsSecrets() throws {
        let header = try StandardWebhookSignature.header(
            id: "msg_1", timestamp: 1_614_265_330, body: Self.standardBody,
            secrets: [Self.standardSecret, "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()])
        #expect(header.split(separator: " ").count == 2)
        for secret in [Self.standardSecret, "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()] {
            try StandardWebhookSignature.verify(
                id: "msg_1", timestamp: "1614265330", signature: header, body: Self.standardBody, secret: secret,
                now: Date(timeIntervalSince1970: 1_614_265_330))
        }
        #expect(throws: StandardWebhookSignature.Failure.badSecret) {
            try StandardWebhookSignature.sign(id: "m", timestamp: 1, body: Data(), secret: "whsec_not base64!")
        }
    }
}
