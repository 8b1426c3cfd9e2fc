/// English given names and their common short forms, so "Bob Smith" and "Robert Smith" compare as the same
/// first name. Each entry names the formal names a nickname stands for; a name is its own formal name.
public enum Nicknames {
    static let table: [String: [String]] = [
        "abby": ["abigail"], "al": ["albert", "alfred", "alan", "alexander"], "alex": ["alexander", "alexandra"],
        "ali": ["alison", "alice"], "andy": ["andrew"], "annie": ["anne", "ann"], "art": ["arthur"],
        "barb": ["barbara"], "ben": ["benjamin"], "benny": ["benjamin"], "bert": ["albert", "herbert"],
        "beth": ["elizabeth"], "betsy": ["elizabeth"], "betty": ["elizabeth"], "bill": ["william"],
        "billy": ["william"], "bob": ["robert"], "bobby": ["robert"], "brad": ["bradley"], "cathy": ["catherine"],
        "kate": ["katherine", "catherine"], "katie": ["katherine", "catherine"], "kathy": ["katherine"],
        "chris": ["christopher", "christine", "christina"], "chuck": ["charles"], "charlie": ["charles"],
        "dan": ["daniel"], "danny": ["daniel"], "dave": ["david"], "debbie": ["deborah"], "deb": ["deborah"],
        "dick": ["richard"], "don": ["donald"], "doug": ["douglas"], "ed": ["edward", "edwin"],
        "eddie": ["edward"], "fred": ["frederick"], "frank": ["francis", "franklin"], "gabe": ["gabriel"],
        "greg": ["gregory"], "hank": ["henry"], "harry": ["henry", "harold"], "jack": ["john"],
        "jake": ["jacob"], "jamie": ["james"], "jim": ["james"], "jimmy": ["james"], "jen": ["jennifer"],
        "jenny": ["jennifer"], "jeff": ["jeffrey"], "jerry": ["gerald", "jerome"], "jess": ["jessica"],
        "joe": ["joseph"], "joey": ["joseph"], "johnny": ["john"], "jon": ["jonathan"], "josh": ["joshua"],
        "judy": ["judith"], "kim": ["kimberly"], "larry": ["lawrence"], "liz": ["elizabeth"],
        "lizzie": ["elizabeth"], "maggie": ["margaret"], "meg": ["margaret"], "peggy": ["margaret"],
        "matt": ["matthew"], "max": ["maximilian", "maxwell"], "mike": ["michael"], "mikey": ["michael"],
        "mitch": ["mitchell"], "nate": ["nathan", "nathaniel"], "nick": ["nicholas"], "pam": ["pamela"],
        "pat": ["patrick", "patricia"], "patty": ["patricia"], "pete": ["peter"], "phil": ["philip", "phillip"],
        "ray": ["raymond"], "rich": ["richard"], "rick": ["richard"], "ricky": ["richard"], "rob": ["robert"],
        "ron": ["ronald"], "ronnie": ["ronald"], "sam": ["samuel", "samantha"], "sandy": ["sandra"],
        "steve": ["steven", "stephen"], "sue": ["susan"], "susie": ["susan"], "ted": ["theodore", "edward"],
        "teddy": ["theodore"], "tom": ["thomas"], "tommy": ["thomas"], "tony": ["anthony"], "val": ["valerie"],
        "vic": ["victor", "victoria"], "vicky": ["victoria"], "will": ["william"], "zach": ["zachary"],
        "abe": ["abraham"], "bea": ["beatrice"], "becca": ["rebecca"], "becky": ["rebecca"],
        "cindy": ["cynthia"], "connie": ["constance"], "dottie": ["dorothy"], "drew": ["andrew"],
        "fran": ["frances", "francis"], "gina": ["regina"], "gus": ["augustus", "august"],
        "hal": ["harold", "henry"], "jackie": ["jacqueline"], "jan": ["janet", "janice"],
        "jo": ["josephine", "joanne"], "kay": ["katherine"], "ken": ["kenneth"], "kenny": ["kenneth"],
        "kit": ["christopher", "katherine"], "lenny": ["leonard"], "leo": ["leonard"], "les": ["leslie"],
        "lou": ["louis"], "mandy": ["amanda"], "manny": ["manuel"], "marty": ["martin"],
        "mel": ["melissa", "melanie"], "mick": ["michael"], "nat": ["nathaniel", "natalie"],
        "ned": ["edward"], "nell": ["eleanor", "helen"], "nicky": ["nicholas", "nicole"], "ollie": ["oliver"],
        "randy": ["randall"], "reg": ["reginald"], "rudy": ["rudolph"], "russ": ["russell"],
        "sally": ["sarah"], "stan": ["stanley"], "steph": ["stephanie"], "stu": ["stuart"],
        "terry": ["terence", "theresa"], "tess": ["theresa"], "tim": ["timothy"], "timmy": ["timothy"],
        "tina": ["christina", "christine", "martina"], "tricia": ["patricia"], "trish": ["patricia"],
        "vince": ["vincent"], "walt": ["walter"], "wendy": ["gwendolyn"], "wes": ["wesley"],
    ]

    /// The formal names a given name stands for (itself among them), lowercased.
    public static func formal(_ name: String) -> Set<String> {
        let key = name.lowercased()
        return Set([key] + (table[key] ?? []))
    }

    /// Whether two given names can be the same person's: equal, or one a short form of the other, or both
    /// short forms of one name.
    public static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.lowercased(), b.lowercased())
        if x == y { return true }
        let (formalX, formalY) = (table[x] ?? [], table[y] ?? [])
        return formalX.contains(y) || formalY.contains(x) || formalX.contains { formalY.contains($0) }
    }
}
