//! Sentence templates per kind of event, written for this crate.
//!
//! Placeholders in braces are filled from the event's facts (`{co}`,
//! `{money}`, ...), from its topic area (`{thing}`, `{things}`) or from a
//! synonym set (`{raise}`, `{said}`); see `text::put`. Each provider picks
//! its own variant of every sentence, so two outlets covering one event share
//! the facts but rarely a run of five words.

/// What one kind of event offers a writer.
pub(crate) struct Kit {
    pub titles: &'static [&'static str],
    pub leads: &'static [&'static str],
    /// Each inner slice is one fact told in different ways.
    pub facts: &'static [&'static [&'static str]],
    pub closers: &'static [&'static str],
}

/// The kinds of event, in the order of [`KITS`].
pub(crate) const KINDS: usize = 10;

pub(crate) static KITS: [Kit; KINDS] = [
    // Funding round.
    Kit {
        titles: &[
            "{co} {raise} {money} {series} round led by {inv}",
            "{co} {raise} {money} to expand its {thing} business",
            "{thing} startup {co} {raise} {money}",
            "{inv} leads {money} investment in {co}",
            "{co} valued at {money2} after {money} {series} round",
            "Investors back {co} with {money} as {thing} deals heat up",
            "{place}'s {co} {raise} {money} from {inv}",
        ],
        leads: &[
            "{co}, a {place}-based {thing} startup, said on {weekday} it had {raised} {money} in a {series} round led by {inv}.",
            "{inv} has led a {money} {series} investment in {co}, which builds {tech}.",
            "{co} has {raised} {money} in new funding, valuing the {age}-year-old company at {money2}.",
            "{thing} company {co} {raise} {money} in a round led by {inv}, it announced on {weekday}.",
        ],
        facts: &[
            &[
                "The round values {co} at {money2}, according to a person familiar with the matter.",
                "The deal puts the company's valuation at {money2}.",
                "{co} is now valued at {money2}, up from less than half that two years ago.",
            ],
            &[
                "{co} builds {tech} and counts {count} paying customers.",
                "The company says {count} businesses now use its {product} platform.",
                "Its main product, {product}, is used by {count} customers, the startup said.",
            ],
            &[
                "Revenue grew {pct} over the past year, {person}, the company's {role}, {said}.",
                "{person}, {role} of {co}, said sales had risen {pct} in the last twelve months.",
                "Annual revenue is up {pct}, according to {last}.",
            ],
            &[
                "The company plans to use the money to hire in {place2} and to expand {product}.",
                "{co} will spend the new capital on hiring and on opening an office in {place2}.",
                "Part of the funding will go toward a new engineering hub in {place2}.",
            ],
            &[
                "Existing investors joined the round, {co} said.",
                "The {series} round was oversubscribed, {last} said.",
            ],
        ],
        closers: &[
            "{co} did not say when it expects to become profitable.",
            "{analyst}, a partner at {inv}, will join the board.",
            "The company was founded {age} years ago in {place}.",
        ],
    },
    // Acquisition.
    Kit {
        titles: &[
            "{co} {buy} {co2} for {money}",
            "{co} to buy {thing} firm {co2} in {money} deal",
            "{co} agrees {money} takeover of {co2}",
            "{co2} sold to {co} for {money}",
            "{co} bets {money} on {thing} with {co2} purchase",
            "{co} strikes deal for {place2}-based {co2}",
        ],
        leads: &[
            "{co} said on {weekday} it had agreed to acquire {co2}, a {place2}-based maker of {tech}, for {money}.",
            "{co} will buy {co2} for {money} in cash and stock, the companies announced.",
            "In a deal valued at {money}, {co} is acquiring {co2} to strengthen its {thing} business.",
            "{co2}, which develops {tech}, has agreed to be acquired by {co} for {money}.",
        ],
        facts: &[
            &[
                "The price represents a premium of {pct} over the last private valuation of {co2}.",
                "The offer is {pct} above what investors valued {co2} at last year.",
                "{co} is paying a {pct} premium, according to people briefed on the terms.",
            ],
            &[
                "{co2} employs {count} people, most of whom will join {co}.",
                "All {count} of its staff are expected to move over.",
                "{co2} has {count} employees in {place2} and elsewhere.",
            ],
            &[
                "The deal is expected to close in {quarter} of {year}, subject to approval by {reg}.",
                "{reg} must still approve the transaction, which the companies expect to complete in {quarter}.",
                "Closing is targeted for {quarter}, pending review by {reg}.",
            ],
            &[
                "{person}, the {role} of {co}, said the purchase would bring {product} to more customers.",
                "{last} said the {product} line from {co2} would be folded into the existing lineup.",
            ],
        ],
        closers: &[
            "Shares of {co} rose {pct2} after the announcement.",
            "It is the largest acquisition {co} has made to date.",
            "{analyst} of {afirm} called the price steep but defensible.",
        ],
    },
    // Product launch.
    Kit {
        titles: &[
            "{co} {launch} {product}, its {new} {thing} offering",
            "{product} from {co} promises {pct} faster {things}",
            "{co} takes aim at rivals with {product}",
            "Meet {product}: the {co} bet on {tech}",
            "{co} {launch} {product} after {money} development push",
            "{product} is the {co} answer to the {thing} crunch",
        ],
        leads: &[
            "{co} on {weekday} {launched} {product}, a {thing} product that it says is {pct} faster than its predecessor.",
            "{co} has introduced {product}, aimed at companies that need {tech}.",
            "With {product}, {co} is entering a crowded {thing} market, the company said on {weekday}.",
            "{co} unveiled {product} at an event in {place}, promising {pct} better performance.",
        ],
        facts: &[
            &[
                "{product} will be available from {date} in {count} countries.",
                "General availability starts on {date}, {co} said.",
                "Customers can start using {product} on {date}.",
            ],
            &[
                "The company spent {money} developing the product over {years} years.",
                "{co} said it had invested {money} in {product}.",
                "Development cost roughly {money}, according to {last}.",
            ],
            &[
                "{person}, the {role} at {co}, {said} early customers had cut costs by {pct2}.",
                "Early testers saw costs fall {pct2}, {last} said.",
                "Pilot customers reported savings of {pct2}, the company claims.",
            ],
            &[
                "{analyst} of {afirm} said the launch puts pressure on competitors.",
                "Analysts at {afirm} expect rivals to respond with price cuts.",
            ],
        ],
        closers: &[
            "{co} did not disclose pricing for larger customers.",
            "A second version is planned for next year.",
            "The product was built by a team in {place2}.",
        ],
    },
    // Earnings and market share.
    Kit {
        titles: &[
            "{co} revenue {rise} {pct} to {money}",
            "{co} beats forecasts as {thing} sales {rise} {pct}",
            "{co} posts {money} in quarterly revenue",
            "{co} {quarter} results: revenue up {pct}",
            "{co} grabs {pct2} of {thing} market in {quarter}",
            "{thing} demand lifts {co} sales to {money}",
        ],
        leads: &[
            "{co} reported revenue of {money} for {quarter}, up {pct} from a year earlier.",
            "Sales at {co} {rise} {pct} in {quarter} to {money}, the company said on {weekday}.",
            "{co} said revenue for {quarter} reached {money}, an increase of {pct} driven by {things}.",
            "Strong demand for {things} helped {co} lift revenue {pct} to {money} in {quarter}.",
        ],
        facts: &[
            &[
                "The company now holds {pct2} of the {thing} market, according to {afirm}.",
                "{afirm} estimates the market share of {co} at {pct2}.",
                "Its share of the market reached {pct2}, estimates from {afirm} show.",
            ],
            &[
                "Operating profit came in at {money2}.",
                "{co} posted an operating profit of {money2}.",
                "Profit for the period was {money2}.",
            ],
            &[
                "{co} ended the quarter with {count} employees.",
                "Headcount stood at {count}.",
                "The company employs {count} people worldwide.",
            ],
            &[
                "{person}, the {role}, {said} demand from {things} remained strong.",
                "{last} told analysts that orders for {product} had doubled.",
            ],
        ],
        closers: &[
            "The next results are due on {date}.",
            "Shares rose {pct2} in extended trading.",
            "{co} kept its full-year forecast unchanged.",
        ],
    },
    // Regulatory penalty.
    Kit {
        titles: &[
            "{reg} {fine} {co} {money} over {thing} failings",
            "{co} hit with {money} fine over {things}",
            "{co} to pay {money} after probe by {reg}",
            "{money} penalty for {co} in {thing} case",
            "Regulator {fine} {co} {money}",
            "{co} fined {money}, must change {product} by {date}",
        ],
        leads: &[
            "{reg} said on {weekday} it had fined {co} {money} for breaching rules on {things}.",
            "{co} must pay {money} after {reg} found it had broken {thing} rules with its {product} service.",
            "A {years}-year investigation by {reg} ended with a {money} fine for {co}.",
            "{co} has been ordered to pay {money} and change how {product} handles {things}.",
        ],
        facts: &[
            &[
                "The regulator said {count} users had been affected.",
                "About {count} customers were affected, {reg} said.",
                "The investigation covered {count} complaints.",
            ],
            &[
                "{co} has until {date} to comply or face further penalties of up to {pct} of annual turnover.",
                "Failure to comply by {date} could cost {co} up to {pct} of global revenue.",
                "The deadline for changes is {date}.",
            ],
            &[
                "{person}, the {role} of {co}, said the company would appeal.",
                "{co} said it disagreed with the decision and was considering an appeal.",
                "{last} said the company had already changed some of its practices.",
            ],
            &[
                "The case began after a complaint from a consumer group in {place}.",
                "The probe was opened following reports from users in {place}.",
            ],
        ],
        closers: &[
            "It is the largest fine {reg} has issued this year.",
            "{analyst} of {afirm} said the fine was small relative to the revenue of {co}.",
            "Other companies are being investigated over similar practices.",
        ],
    },
    // Research study.
    Kit {
        titles: &[
            "{univ} {study} raises questions about {subject}",
            "Researchers at {univ} test {subject} and find a {pct} gap",
            "New {study} puts {subject} under scrutiny",
            "{subject}: what researchers at {univ} found",
            "{last}-led {study} examines {subject} across {count} cases",
            "{pct} problem: {univ} {study} on {subject}",
        ],
        leads: &[
            "A {study} from {univ} {finding} in tests of {subject}.",
            "Researchers at {univ} in {place} examined {subject} and {finding}.",
            "{subject} are under scrutiny after researchers at {univ} {finding}.",
            "The latest {study} from {univ}, led by {person}, {finding}.",
        ],
        facts: &[
            &[
                "The team analysed {count} samples collected over {years} years.",
                "The researchers examined {count} cases.",
                "The analysis covered {count} records from {place2}.",
            ],
            &[
                "{person}, who led the work, {said} the results should worry buyers of {things}.",
                "{last}, the lead author, said vendors rarely publish comparable data.",
                "Lead researcher {person} said the findings were consistent across vendors.",
            ],
            &[
                "The paper was published on {date} and has not yet been peer reviewed.",
                "The findings were released on {date}.",
                "Results were published on {date} in a preprint.",
            ],
            &[
                "Products from {co} were among those tested.",
                "Systems sold by {co} and {co2} were included in the tests.",
                "{co}, whose software was tested, said it had not seen the full paper.",
            ],
        ],
        closers: &[
            "The researchers plan a follow-up study next year.",
            "{afirm} analyst {analyst} said the study was the most thorough of its kind.",
            "Funding came from a {money} public research grant.",
        ],
    },
    // Outage or security incident.
    Kit {
        titles: &[
            "{co} {outage} hits {count} customers",
            "{product} down for {hours} hours after {co} {outage}",
            "{co} blames configuration error for {product} {outage}",
            "Customers in {place} lose access as {co} suffers {outage}",
            "{co} apologises after {hours}-hour {outage}",
            "What went wrong at {co}: the {product} {outage} explained",
        ],
        leads: &[
            "The {product} service from {co} went down for about {hours} hours on {weekday}, affecting {count} customers in {place} and beyond.",
            "A {hours}-hour {outage} at {co} left {count} customers without access to {product}.",
            "{co} said a faulty update caused the {outage} that knocked {product} offline on {weekday}.",
            "Thousands of users in {place} were unable to reach {product} during a {hours}-hour {outage} at {co}.",
        ],
        facts: &[
            &[
                "{co} estimated the incident affected {pct} of its customers.",
                "About {pct} of accounts were affected, the company said.",
                "The company said {pct} of requests failed during the incident.",
            ],
            &[
                "Service was fully restored on {date}.",
                "Engineers restored service by {date}, {co} said.",
                "Full recovery took until {date}.",
            ],
            &[
                "{person}, the {role} of {co}, apologised and promised credits for affected customers.",
                "{last} said customers would receive service credits.",
                "The company will refund {money} in service credits, {last} said.",
            ],
            &[
                "{analyst} of {afirm} said the incident showed the risk of relying on a single provider.",
                "Analysts at {afirm} said outages of this length were rare.",
            ],
        ],
        closers: &[
            "{co} said it would publish a full incident report.",
            "It was the second incident at {co} this year.",
            "{reg} said it was monitoring the situation.",
        ],
    },
    // Partnership.
    Kit {
        titles: &[
            "{co} and {co2} sign {money} {thing} {deal}",
            "{co} teams up with {co2} on {tech}",
            "{co2} picks {co} in {years}-year {deal}",
            "{co}, {co2} strike {thing} {deal} worth {money}",
            "{co} partners with {co2} to expand {product}",
        ],
        leads: &[
            "{co} and {co2} have signed a {years}-year {deal} worth {money} to develop {tech}.",
            "{co2} will use {product} from {co} under a {money} agreement announced on {weekday}.",
            "In a {deal} valued at {money}, {co} and {co2} will jointly build {tech}.",
            "{co} said on {weekday} it would supply {product} to {co2} in a {money} {deal}.",
        ],
        facts: &[
            &[
                "The partnership will start in {place} before expanding to {count} sites.",
                "Work begins in {place} on {date}, with {count} sites planned.",
                "The first of {count} planned deployments will be in {place}.",
            ],
            &[
                "{co2} expects to cut its {thing} costs by {pct}.",
                "The companies say the arrangement should lower costs by {pct}.",
                "Savings of around {pct} are expected, according to {co2}.",
            ],
            &[
                "{person}, the {role} of {co}, said the agreement was the biggest in its history.",
                "{last} said talks with {co2} had lasted more than a year.",
            ],
            &[
                "Financial terms beyond the headline value were not disclosed.",
                "Neither company gave details of how the {money} would be paid.",
            ],
        ],
        closers: &[
            "{analyst} of {afirm} said more such deals were likely.",
            "The agreement can be extended after {years} years.",
            "Both companies have offices in {place2}.",
        ],
    },
    // Leadership change and restructuring.
    Kit {
        titles: &[
            "{co} {names} {person} as {role}",
            "{co} gets new {role} as {thing} push continues",
            "{person} to lead {co}",
            "{co} shake-up: {person} takes over as {role}",
            "{co} {cut} {count} jobs and {names} new {role}",
        ],
        leads: &[
            "{co} has named {person} as its new {role}, effective {date}.",
            "{person} will become {role} of {co} on {date}, the company said on {weekday}.",
            "{co} said {person}, previously at {co2}, would take over as {role}.",
            "In a management shake-up announced on {weekday}, {co} picked {person} as {role}.",
        ],
        facts: &[
            &[
                "The company also plans to cut {count} jobs, or about {pct} of its workforce.",
                "{co} will eliminate {count} positions, roughly {pct} of staff.",
                "About {count} roles, some {pct} of the workforce, will go.",
            ],
            &[
                "{person} previously spent {years} years at {co2}.",
                "Before joining, {last} worked for {years} years at {co2}.",
            ],
            &[
                "Shares of {co} rose {pct2} on the news.",
                "Investors welcomed the move, sending the stock up {pct2}.",
            ],
            &[
                "The change comes after revenue fell to {money} last year.",
                "Annual revenue slipped to {money}, putting pressure on the board.",
                "{co} reported revenue of {money} in its latest fiscal year.",
            ],
        ],
        closers: &[
            "The outgoing executive will stay on as an adviser.",
            "{analyst} of {afirm} said the appointment signals a shift toward {things}.",
            "The company is based in {place}.",
        ],
    },
    // Expansion or new site.
    Kit {
        titles: &[
            "{co} to build {money} {thing} site in {place}",
            "{co} plans {money} expansion in {place}",
            "{place} wins {money} investment from {co}",
            "{co} picks {place} for new {thing} hub",
            "{co} expansion brings {count} jobs to {place}",
        ],
        leads: &[
            "{co} will invest {money} to build a {thing} facility in {place}, creating {count} jobs.",
            "{co} said on {weekday} it had chosen {place} for a new {thing} site worth {money}.",
            "A {money} investment by {co} will bring {count} jobs to {place}.",
            "{place} has beaten other cities to a {money} {thing} project from {co}.",
        ],
        facts: &[
            &[
                "Construction starts on {date} and the site should open by the end of {year}.",
                "Work begins on {date}.",
                "Building is due to start on {date}, the company said.",
            ],
            &[
                "The project will add {pct} to the capacity of {co}.",
                "{co} expects its capacity to grow {pct} once the site is running.",
            ],
            &[
                "{person}, the {role} of {co}, said {place} offered skilled workers and reliable power.",
                "{last} cited the local talent pool in {place} as the deciding factor.",
            ],
            &[
                "Local officials offered tax incentives worth {money2}.",
                "The city agreed to {money2} in incentives, officials said.",
            ],
        ],
        closers: &[
            "{co} already runs a site in {place2}.",
            "Residents have raised concerns about water and power use.",
            "{analyst} of {afirm} said the region was becoming a hub for {things}.",
        ],
    },
];

/// Quotes any executive or researcher may give.
pub(crate) static QUOTES: &[&str] = &[
    "We are seeing demand for {things} that we did not expect even a year ago",
    "This is about giving customers more choice",
    "Our customers told us they wanted {tech}, and that is what we built",
    "The market for {things} is changing quickly and we intend to lead it",
    "We have been working toward this for {years} years",
    "Nothing about this is simple, but the direction is clear",
    "The numbers speak for themselves",
    "We think this is the right moment for {co}",
];

/// Context sentences that fit any area.
pub(crate) static GENERAL: &[&str] = &[
    "The announcement comes during a busy week for the {thing} industry.",
    "It is not the first time {co} has made headlines this year.",
    "Competition among sellers of {things} has intensified as budgets tighten.",
    "Industry watchers have been expecting a move like this for months.",
    "The news was first reported by local media in {place}.",
];

/// What wire republishers add: a local angle.
pub(crate) static LOCAL_ANGLES: &[&str] = &[
    "Several companies in the region also rely on {things}.",
    "Local firms said they were watching the developments closely.",
    "The decision could affect businesses across {place2}.",
];

/// Synonym sets, looked up by placeholder name.
pub(crate) fn synonyms(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "raise" => &["raises", "secures", "lands", "closes", "pulls in"],
        "raised" => &["raised", "secured", "closed", "pulled in"],
        "buy" => &["acquires", "buys", "snaps up", "agrees to buy"],
        "launch" => &["launches", "unveils", "rolls out", "introduces", "debuts"],
        "launched" => &["launched", "unveiled", "rolled out", "introduced"],
        "said" => &["said", "told reporters", "said in a statement", "confirmed"],
        "fine" => &["fines", "penalizes", "sanctions"],
        "rise" => &["rises", "climbs", "jumps", "grows"],
        "new" => &["new", "latest", "next-generation"],
        "deal" => &["deal", "agreement", "pact", "tie-up"],
        "cut" => &["cuts", "eliminates", "axes"],
        "names" => &["names", "appoints", "taps"],
        "outage" => &["outage", "disruption", "service failure"],
        "study" => &["study", "report", "paper", "analysis"],
        _ => return None,
    })
}
