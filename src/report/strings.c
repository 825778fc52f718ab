/* Every word of report.html in English, Dutch and German: the page is read
 * by planners on both sides of the border. Strings may hold HTML markup;
 * they are the program's own text, never data. */
#include "strings.h"

#include <stddef.h>
#include <string.h>

static const char *const en[T_COUNT] = {
	[T_LANG] = "en",
	[T_THOUSANDS] = ",",
	[T_SERVICE_DATE] = "Service date",
	[T_DEPARTURES] = "departures",
	[T_EVERY] = "every",
	[T_THRESHOLD] = "threshold",
	[T_GENERATED] = "Generated",
	[T_BY] = "by",
	[T_FINDINGS] = "Findings",
	[T_TRAIN_ITSELF] = "The train itself, to",
	[T_ON_MEDIAN] = "On the median over all departure minutes, waiting included:",
	[T_FASTER] = "faster",
	[T_SLOWER] = "slower",
	[T_NO_FASTER] = "no faster",
	[T_REACH_INTRO] = "People within reach of",
	[T_REACH_BRACKETS] =
		"by public transport (median over departures %s; in brackets the p90 figure, "
		"which nine departures in ten reach, and the range over low and high "
		"assumptions), in the <i>national</i> view (Dutch places only, network cut at "
		"the border) and <i>today</i> (every place, the network as it is):",
	[T_WITHIN] = "within",
	[T_P90] = "p90",
	[T_ASSUMPTIONS] = "assumptions",
	[T_NATIONALLY] = "nationally",
	[T_TODAY] = "today",
	[T_RANK_WITHIN] = "Within",
	[T_RANKS] = "ranks",
	[T_AND] = "and",
	[T_RANK_AMONG] = "today among the",
	[T_RANK_UNITS] = "Dutch municipalities with a stop (1 = most people)",
	[T_AT_P90] = "at p90",
	[T_NOT_INCLUDED_SHORT] = "Not included: fares, crowding, reliability (scheduled times "
				 "only).",
	[T_SEE] = "See",
	[T_DATA] = "Data and assumptions",
	[T_SAVINGS] = "Savings by proposal",
	[T_SAVINGS_INTRO] =
		"Per train: the best journey that rides the new or extended train against the "
		"base journey from the same departure, each timed from its own departure. "
		"Median: over every departure minute of the window, waiting at the origin "
		"included. Minutes; negative is faster.",
	[T_SAVINGS_HEAD] = "<th>proposal</th><th>from</th><th>to</th><th>base median</th>"
			   "<th>median</th><th>&#916; median (min)</th>"
			   "<th>&#916; per train (min)</th>",
	[T_BORDER] = "Border views of",
	[T_BORDER_INTRO1] = "Population within each travel time (departures",
	[T_BORDER_INTRO2] =
		", at the percentile of travel times shown). <i>National</i>: places of the "
		"home country only, network cut at the border; <i>closed border</i>: the same "
		"cut network, every place still in reach; <i>today</i>: every place, the "
		"linked network. Rank among the Dutch municipalities with a stop, 1 = most. In "
		"brackets: the range over the low and high assumption sets.",
	[T_BORDER_HEAD] = "<th>percentile</th><th>within (min)</th><th>national</th>"
			  "<th>closed border</th><th>today</th><th>border effect</th>"
			  "<th>rank national</th><th>rank today</th>",
	[T_PROFILES] = "Travel time by departure time",
	[T_PROFILES_EMPTY] = "No travel-time profiles in this report.",
	[T_PROFILES_INTRO] =
		"For every departure in the window: the time from leaving the origin to "
		"arriving, waiting for the first train included. Lower is better; a gap means "
		"no journey. Solid: base network; dashed: scenario.",
	[T_OPPORTUNITIES] = "Reachable population by cutoff",
	[T_OPPORTUNITIES_EMPTY] = "No reachable-population figures in this report.",
	[T_OPPORTUNITIES_INTRO] =
		"Inhabitants of the places reachable within each travel time. <i>nl-only</i>: "
		"the Dutch network alone; <i>linked</i>: the Dutch and German networks joined "
		"at the border; a scenario adds its change to the linked network. The "
		"difference between nl-only and linked is the border effect.",
	[T_STATIONS] = "Stations by travel time",
	[T_STATIONS_EMPTY] = "No stations in this report.",
	[T_STATIONS_INTRO] =
		"Schematic maps (stations at their coordinates, no background): first the "
		"median travel time over the departure window in the base network, then for "
		"each scenario the change it brings. Hover a station for its name and time.",
	[T_JOURNEYS] = "Best journeys",
	[T_JOURNEYS_EMPTY] = "No journeys in this report.",
	[T_JOURNEYS_INTRO] = "The fastest journey of the window for each pair; legs that "
			     "cross the border (between stops of different feeds) are marked.",
	[T_JOURNEY_HEAD] = "<th>from</th><th>departure</th><th>to</th><th>arrival</th>"
			   "<th>route</th>",
	[T_WALK] = "walk",
	[T_BORDER_CROSSING] = "border crossing",
	[T_TRANSFERS] = "transfers",
	[T_TIMETABLES] = "Timetables",
	[T_NO_PUBLISHER] = "publisher not stated (no feed_info.txt)",
	[T_VERSION] = "version",
	[T_RECONSTRUCTION] =
		"These timetables are a <b>reconstruction</b>, not an operator's feed: lines, "
		"stops, frequencies and running times from published sources (feeds/README.md). "
		"Observed: the RE18 minutes (AVV timetable 2024), the published journey times "
		"and the change times set in transfers.txt. <b>ESTIMATE</b>: the minutes of the "
		"NS Intercity trains at Heerlen and Eindhoven (feeds/lines/ns.lines), on which "
		"every saving above depends. Run the report on the official feeds for the real "
		"numbers.",
	[T_OFFICIAL] = "The timetables are the feeds above as their publishers released them "
		       "(feed_info.txt).",
	[T_POPULATION] = "Population",
	[T_POPULATION_INTRO] = "One point per municipality, its whole population at its "
			       "centroid.",
	[T_POPULATION_HEAD] = "<th>country</th><th>municipalities</th><th>people</th>"
			      "<th>reference date</th><th>source</th>",
	[T_ATTRIBUTION] =
		"Population figures: CBS (CC BY 4.0); &#169; Statistisches Bundesamt "
		"(Destatis); Statbel (open data). Coordinates: GeoNames (CC BY 4.0); station "
		"data DB InfraGO / OpenStreetMap contributors (ODbL). Details and licences: "
		"feeds/places/SOURCES.md. DERIVED: summed or matched by grens.",
	[T_ACCESS] = "Getting to and from the station",
	[T_NOT_INCLUDED] = "Not included",
	[T_NOT_INCLUDED_TEXT] =
		"Fares, crowding and reliability: every time is a scheduled time, with the "
		"change times of the feeds (no delays, no missed connections). Places without "
		"a stop within reach of any mode count for nobody.",
	[T_PROVENANCE] = "Provenance",
	[T_PROVENANCE_HEAD] = "<th>feed</th><th>version</th><th>file</th><th>SHA-256</th>",
	[T_SCENARIO_HEAD] = "<th>scenario</th><th>SHA-256</th><th>description</th>",
	[T_RUN] = "run",
	[T_AXIS_DEPARTURE] = "departure time",
	[T_AXIS_TRAVEL] = "travel time (h:mm)",
	[T_AXIS_DIFF] = "scenario minus base (min)",
	[T_NO_JOURNEY_BASE] = "no journey in the base network",
	[T_CHART_PROFILE] = "Travel time by departure minute",
	[T_CHART_DIFF] = "Scenario minus base travel time by departure minute",
	[T_SEE_TABLE] = "figures in the table below",
	[T_DIFF_NOTE] = "Right: each scenario&#8217;s travel time minus the base&#8217;s for the same departure minute; below zero is faster. A tick on the top edge marks a departure with a journey only in the scenario, on the bottom edge one with a journey only in the base.",
	[T_SUMMARY_HEAD] = "<th>scenario</th><th>min</th><th>median</th><th>p90</th><th>max</th><th>mean transfers</th><th>share under threshold</th><th>departures reached</th>",
	[T_FROM] = "From",
	[T_CHART_OPPORTUNITIES] = "People reached within each travel time, compared with today&#8217;s network",
	[T_AXIS_PEOPLE] = "people vs. today",
	[T_PEOPLE] = "people",
	[T_OPP_NOTE] = "Bars: people reached within each travel time minus the number reached with today&#8217;s network (<i>linked</i>). <i>nl-only</i> below zero is what the border costs; a scenario above zero is what it adds. The full numbers are in the table.",
	[T_VARIANT] = "variant",
	[T_MAP_CHANGE] = "change with %s",
	[T_MAP_BASE] = "travel time in the base network",
	[T_SEE_HOVER] = "hover a station for its name and time",
	[T_MAP_CHANGE_LEGEND] = "Colour: change in median travel time against the base, blue faster, red slower, white unchanged; a thick ring: reached only with the scenario; grey: not reached.",
	[T_MAP_BASE_LEGEND] = "Colour: median travel time from green (short) to red (long); grey: not reached.",
	[T_MAP_BORDER_NOTE] = "Dashed line: a schematic outline of the NL&#8211;DE border (no boundary data in this build).",
	[T_HL_UPTO] = "up to",
	[T_HL_FASTER_TO] = "faster per train to",
	[T_HL_PEOPLE] = "people within 120&#8239;min of",
	[T_HL_TODAY] = "across the border today, against",
	[T_HL_NATIONAL] = "in the national view",
	[T_BORDER_MAP] = "Who is within 120 min, today and in the national view",
	[T_SEE_HOVER_PLACE] = "hover a place for its name, people and times",
	[T_BM_NATIONAL] = "within 120&#8239;min in the national view",
	[T_BM_TODAY] = "within 120&#8239;min only today",
	[T_BM_NONE] = "further",
	[T_BM_NOTE] = "Each circle is a municipality, its area in proportion to its people; the median travel time over the window from the origin decides its colour. The first two figures add up to the today column of the table above at p50 within 120 min, the first alone to the national one.",
};

static const char *const nl[T_COUNT] = {
	[T_LANG] = "nl",
	[T_THOUSANDS] = ".",
	[T_SERVICE_DATE] = "Dienstregelingsdag",
	[T_DEPARTURES] = "vertrekken",
	[T_EVERY] = "elke",
	[T_THRESHOLD] = "drempel",
	[T_GENERATED] = "Gemaakt",
	[T_BY] = "door",
	[T_FINDINGS] = "Bevindingen",
	[T_TRAIN_ITSELF] = "De trein zelf, naar",
	[T_ON_MEDIAN] = "Op de mediaan over alle vertrekminuten, wachttijd inbegrepen:",
	[T_FASTER] = "sneller",
	[T_SLOWER] = "langzamer",
	[T_NO_FASTER] = "niet sneller",
	[T_REACH_INTRO] = "Inwoners binnen bereik van",
	[T_REACH_BRACKETS] =
		"met het openbaar vervoer (mediaan over vertrekken %s; tussen haakjes het "
		"p90-cijfer, dat negen van de tien vertrekken halen, en de spreiding over lage "
		"en hoge aannames), in de <i>nationale</i> blik (alleen Nederlandse plaatsen, "
		"net afgesneden aan de grens) en <i>vandaag</i> (alle plaatsen, het net zoals "
		"het is):",
	[T_WITHIN] = "binnen",
	[T_P90] = "p90",
	[T_ASSUMPTIONS] = "aannames",
	[T_NATIONALLY] = "nationaal",
	[T_TODAY] = "vandaag",
	[T_RANK_WITHIN] = "Binnen",
	[T_RANKS] = "staat op plaats",
	[T_AND] = "en",
	[T_RANK_AMONG] = "vandaag, van de",
	[T_RANK_UNITS] = "Nederlandse gemeenten met een station of halte (1 = meeste "
			 "inwoners)",
	[T_AT_P90] = "bij p90",
	[T_NOT_INCLUDED_SHORT] = "Niet meegenomen: tarieven, drukte, betrouwbaarheid (alleen "
				 "dienstregelingstijden).",
	[T_SEE] = "Zie",
	[T_DATA] = "Gegevens en aannames",
	[T_SAVINGS] = "Tijdwinst per voorstel",
	[T_SAVINGS_INTRO] =
		"Per trein: de beste reis met de nieuwe of verlengde trein tegenover de reis in "
		"het basisnet vanaf hetzelfde vertrek, elk gerekend vanaf het eigen vertrek. "
		"Mediaan: over elke vertrekminuut van het venster, wachttijd op de herkomst "
		"inbegrepen. Minuten; negatief is sneller.",
	[T_SAVINGS_HEAD] = "<th>voorstel</th><th>van</th><th>naar</th><th>mediaan basis</th>"
			   "<th>mediaan</th><th>&#916; mediaan (min)</th>"
			   "<th>&#916; per trein (min)</th>",
	[T_BORDER] = "Grensblik vanuit",
	[T_BORDER_INTRO1] = "Inwoners binnen elke reistijd (vertrekken",
	[T_BORDER_INTRO2] =
		", bij het getoonde percentiel van de reistijden). <i>Nationaal</i>: alleen "
		"plaatsen in eigen land, net afgesneden aan de grens; <i>gesloten grens</i>: "
		"hetzelfde afgesneden net, alle plaatsen meegeteld; <i>vandaag</i>: alle "
		"plaatsen, het gekoppelde net. Rang onder de Nederlandse gemeenten met een "
		"station of halte, 1 = meeste. Tussen haakjes: de spreiding over de lage en "
		"hoge aannames.",
	[T_BORDER_HEAD] = "<th>percentiel</th><th>binnen (min)</th><th>nationaal</th>"
			  "<th>gesloten grens</th><th>vandaag</th><th>grenseffect</th>"
			  "<th>rang nationaal</th><th>rang vandaag</th>",
	[T_PROFILES] = "Reistijd naar vertrektijd",
	[T_PROFILES_EMPTY] = "Geen reistijdprofielen in dit rapport.",
	[T_PROFILES_INTRO] =
		"Voor elk vertrek in het venster: de tijd van vertrek bij de herkomst tot "
		"aankomst, wachten op de eerste trein inbegrepen. Lager is beter; een gat "
		"betekent geen reis. Doorgetrokken: basisnet; gestreept: scenario.",
	[T_OPPORTUNITIES] = "Bereikbare inwoners per reistijd",
	[T_OPPORTUNITIES_EMPTY] = "Geen cijfers over bereikbare inwoners in dit rapport.",
	[T_OPPORTUNITIES_INTRO] =
		"Inwoners van de plaatsen die binnen elke reistijd bereikbaar zijn. "
		"<i>nl-only</i>: alleen het Nederlandse net; <i>linked</i>: het Nederlandse en "
		"Duitse net gekoppeld aan de grens; een scenario voegt zijn wijziging toe aan "
		"het gekoppelde net. Het verschil tussen nl-only en linked is het grenseffect.",
	[T_STATIONS] = "Stations naar reistijd",
	[T_STATIONS_EMPTY] = "Geen stations in dit rapport.",
	[T_STATIONS_INTRO] =
		"Schematische kaarten (stations op hun co&#246;rdinaten, geen achtergrond): eerst "
		"de mediane reistijd over het vertrekvenster in het basisnet, dan per scenario "
		"de verandering die het brengt. Beweeg over een station voor naam en tijd.",
	[T_JOURNEYS] = "Snelste reizen",
	[T_JOURNEYS_EMPTY] = "Geen reizen in dit rapport.",
	[T_JOURNEYS_INTRO] = "De snelste reis van het venster per paar; ritten die de grens "
			     "oversteken (tussen haltes van verschillende feeds) zijn gemarkeerd.",
	[T_JOURNEY_HEAD] = "<th>van</th><th>vertrek</th><th>naar</th><th>aankomst</th>"
			   "<th>lijn</th>",
	[T_WALK] = "lopen",
	[T_BORDER_CROSSING] = "grensovergang",
	[T_TRANSFERS] = "overstappen",
	[T_TIMETABLES] = "Dienstregelingen",
	[T_NO_PUBLISHER] = "uitgever niet vermeld (geen feed_info.txt)",
	[T_VERSION] = "versie",
	[T_RECONSTRUCTION] =
		"Deze dienstregelingen zijn een <b>reconstructie</b>, geen feed van een "
		"vervoerder: lijnen, haltes, frequenties en rijtijden uit gepubliceerde bronnen "
		"(feeds/README.md). Waargenomen: de minuten van de RE18 (AVV-dienstregeling "
		"2024), de gepubliceerde reistijden en de overstaptijden in transfers.txt. "
		"<b>SCHATTING</b> (ESTIMATE): de minuten van de NS-intercity's in Heerlen en "
		"Eindhoven (feeds/lines/ns.lines), waar elke tijdwinst hierboven van afhangt. "
		"Draai het rapport op de offici&#235;le feeds voor de echte cijfers.",
	[T_OFFICIAL] = "De dienstregelingen zijn de feeds hierboven zoals hun uitgevers ze "
		       "publiceerden (feed_info.txt).",
	[T_POPULATION] = "Inwoners",
	[T_POPULATION_INTRO] = "E&#233;n punt per gemeente, met al haar inwoners in het "
			       "zwaartepunt.",
	[T_POPULATION_HEAD] = "<th>land</th><th>gemeenten</th><th>inwoners</th>"
			      "<th>peildatum</th><th>bron</th>",
	[T_ATTRIBUTION] =
		"Bevolkingscijfers: CBS (CC BY 4.0); &#169; Statistisches Bundesamt "
		"(Destatis); Statbel (open data). Co&#246;rdinaten: GeoNames (CC BY 4.0); "
		"stationsgegevens DB InfraGO / OpenStreetMap-bijdragers (ODbL). Details en "
		"licenties: feeds/places/SOURCES.md. AFGELEID: door grens opgeteld of "
		"gekoppeld.",
	[T_ACCESS] = "Van en naar het station",
	[T_NOT_INCLUDED] = "Niet meegenomen",
	[T_NOT_INCLUDED_TEXT] =
		"Tarieven, drukte en betrouwbaarheid: elke tijd is een dienstregelingstijd, met "
		"de overstaptijden van de feeds (geen vertraging, geen gemiste aansluitingen). "
		"Plaatsen zonder bereikbare halte tellen voor niemand.",
	[T_PROVENANCE] = "Herkomst",
	[T_PROVENANCE_HEAD] = "<th>feed</th><th>versie</th><th>bestand</th><th>SHA-256</th>",
	[T_SCENARIO_HEAD] = "<th>scenario</th><th>SHA-256</th><th>beschrijving</th>",
	[T_RUN] = "gedraaid",
	[T_AXIS_DEPARTURE] = "vertrektijd",
	[T_AXIS_TRAVEL] = "reistijd (u:mm)",
	[T_AXIS_DIFF] = "scenario min basis (min)",
	[T_NO_JOURNEY_BASE] = "geen reis in het basisnet",
	[T_CHART_PROFILE] = "Reistijd per vertrekminuut",
	[T_CHART_DIFF] = "Reistijd van het scenario min die van de basis per vertrekminuut",
	[T_SEE_TABLE] = "cijfers in de tabel hieronder",
	[T_DIFF_NOTE] = "Rechts: de reistijd van elk scenario min die van de basis voor dezelfde vertrekminuut; onder nul is sneller. Een streepje aan de bovenrand: een vertrek met alleen in het scenario een reis; aan de onderrand: alleen in de basis.",
	[T_SUMMARY_HEAD] = "<th>scenario</th><th>min</th><th>mediaan</th><th>p90</th><th>max</th><th>gem. overstappen</th><th>aandeel onder drempel</th><th>vertrekken bereikt</th>",
	[T_FROM] = "Vanaf",
	[T_CHART_OPPORTUNITIES] = "Bereikte inwoners binnen elke reistijd, vergeleken met het huidige net",
	[T_AXIS_PEOPLE] = "inwoners t.o.v. nu",
	[T_PEOPLE] = "inwoners",
	[T_OPP_NOTE] = "Staven: inwoners bereikt binnen elke reistijd min het aantal met het huidige net (<i>linked</i>). <i>nl-only</i> onder nul is wat de grens kost; een scenario boven nul is wat het toevoegt. De volledige aantallen staan in de tabel.",
	[T_VARIANT] = "variant",
	[T_MAP_CHANGE] = "verandering met %s",
	[T_MAP_BASE] = "reistijd in het basisnet",
	[T_SEE_HOVER] = "beweeg over een station voor naam en tijd",
	[T_MAP_CHANGE_LEGEND] = "Kleur: verandering van de mediane reistijd t.o.v. de basis, blauw sneller, rood langzamer, wit gelijk; dikke rand: alleen met het scenario bereikt; grijs: niet bereikt.",
	[T_MAP_BASE_LEGEND] = "Kleur: mediane reistijd van groen (kort) tot rood (lang); grijs: niet bereikt.",
	[T_MAP_BORDER_NOTE] = "Gestreepte lijn: een schematische omtrek van de grens NL&#8211;DE (geen grensgegevens in deze versie).",
	[T_HL_UPTO] = "tot",
	[T_HL_FASTER_TO] = "sneller per trein naar",
	[T_HL_PEOPLE] = "inwoners binnen 120&#8239;min van",
	[T_HL_TODAY] = "over de grens heen vandaag, tegen",
	[T_HL_NATIONAL] = "in de nationale blik",
	[T_BORDER_MAP] = "Wie binnen 120 min zit, vandaag en in de nationale blik",
	[T_SEE_HOVER_PLACE] = "beweeg over een plaats voor naam, inwoners en tijden",
	[T_BM_NATIONAL] = "binnen 120&#8239;min in de nationale blik",
	[T_BM_TODAY] = "binnen 120&#8239;min alleen vandaag",
	[T_BM_NONE] = "verder",
	[T_BM_NOTE] = "Elke cirkel is een gemeente, met een oppervlak naar rato van de inwoners; de mediane reistijd over het venster vanaf de herkomst bepaalt de kleur. De eerste twee getallen samen zijn de kolom vandaag van de tabel hierboven bij p50 binnen 120 min, het eerste alleen de nationale.",
};

static const char *const de[T_COUNT] = {
	[T_LANG] = "de",
	[T_THOUSANDS] = ".",
	[T_SERVICE_DATE] = "Verkehrstag",
	[T_DEPARTURES] = "Abfahrten",
	[T_EVERY] = "alle",
	[T_THRESHOLD] = "Schwelle",
	[T_GENERATED] = "Erstellt",
	[T_BY] = "von",
	[T_FINDINGS] = "Ergebnisse",
	[T_TRAIN_ITSELF] = "Der Zug selbst, nach",
	[T_ON_MEDIAN] = "Im Median &#252;ber alle Abfahrtsminuten, Wartezeit eingerechnet:",
	[T_FASTER] = "schneller",
	[T_SLOWER] = "langsamer",
	[T_NO_FASTER] = "nicht schneller",
	[T_REACH_INTRO] = "Einwohner in Reichweite von",
	[T_REACH_BRACKETS] =
		"mit &#246;ffentlichen Verkehrsmitteln (Median &#252;ber die Abfahrten %s; in "
		"Klammern der p90-Wert, den neun von zehn Abfahrten erreichen, und die Spanne "
		"&#252;ber niedrige und hohe Annahmen), in der <i>nationalen</i> Sicht (nur "
		"niederl&#228;ndische Orte, Netz an der Grenze abgeschnitten) und <i>heute</i> "
		"(alle Orte, das Netz wie es ist):",
	[T_WITHIN] = "innerhalb von",
	[T_P90] = "p90",
	[T_ASSUMPTIONS] = "Annahmen",
	[T_NATIONALLY] = "national",
	[T_TODAY] = "heute",
	[T_RANK_WITHIN] = "Innerhalb von",
	[T_RANKS] = "liegt auf Rang",
	[T_AND] = "und",
	[T_RANK_AMONG] = "heute, unter den",
	[T_RANK_UNITS] = "niederl&#228;ndischen Gemeinden mit Halt (1 = meiste Einwohner)",
	[T_AT_P90] = "bei p90",
	[T_NOT_INCLUDED_SHORT] = "Nicht enthalten: Fahrpreise, Auslastung, Zuverl&#228;ssigkeit "
				 "(nur Fahrplanzeiten).",
	[T_SEE] = "Siehe",
	[T_DATA] = "Daten und Annahmen",
	[T_SAVINGS] = "Zeitgewinn je Vorschlag",
	[T_SAVINGS_INTRO] =
		"Je Zug: die beste Verbindung mit dem neuen oder verl&#228;ngerten Zug gegen die "
		"Verbindung im Basisnetz ab derselben Abfahrt, jede ab ihrer eigenen Abfahrt "
		"gemessen. Median: &#252;ber jede Abfahrtsminute des Fensters, Wartezeit am "
		"Start eingerechnet. Minuten; negativ ist schneller.",
	[T_SAVINGS_HEAD] = "<th>Vorschlag</th><th>von</th><th>nach</th><th>Median Basis</th>"
			   "<th>Median</th><th>&#916; Median (min)</th>"
			   "<th>&#916; je Zug (min)</th>",
	[T_BORDER] = "Grenzsichten von",
	[T_BORDER_INTRO1] = "Einwohner innerhalb jeder Reisezeit (Abfahrten",
	[T_BORDER_INTRO2] =
		", beim gezeigten Perzentil der Reisezeiten). <i>National</i>: nur Orte des "
		"eigenen Landes, Netz an der Grenze abgeschnitten; <i>geschlossene Grenze</i>: "
		"dasselbe abgeschnittene Netz, alle Orte gez&#228;hlt; <i>heute</i>: alle Orte, "
		"das verkn&#252;pfte Netz. Rang unter den niederl&#228;ndischen Gemeinden mit "
		"Halt, 1 = meiste. In Klammern: die Spanne &#252;ber die niedrigen und hohen "
		"Annahmen.",
	[T_BORDER_HEAD] = "<th>Perzentil</th><th>innerhalb (min)</th><th>national</th>"
			  "<th>geschlossene Grenze</th><th>heute</th><th>Grenzeffekt</th>"
			  "<th>Rang national</th><th>Rang heute</th>",
	[T_PROFILES] = "Reisezeit nach Abfahrtszeit",
	[T_PROFILES_EMPTY] = "Keine Reisezeitprofile in diesem Bericht.",
	[T_PROFILES_INTRO] =
		"F&#252;r jede Abfahrt im Fenster: die Zeit von der Abfahrt am Start bis zur "
		"Ankunft, Warten auf den ersten Zug eingerechnet. Niedriger ist besser; eine "
		"L&#252;cke bedeutet keine Verbindung. Durchgezogen: Basisnetz; gestrichelt: "
		"Szenario.",
	[T_OPPORTUNITIES] = "Erreichbare Einwohner nach Reisezeit",
	[T_OPPORTUNITIES_EMPTY] = "Keine Zahlen zu erreichbaren Einwohnern in diesem Bericht.",
	[T_OPPORTUNITIES_INTRO] =
		"Einwohner der Orte, die innerhalb jeder Reisezeit erreichbar sind. "
		"<i>nl-only</i>: nur das niederl&#228;ndische Netz; <i>linked</i>: "
		"niederl&#228;ndisches und deutsches Netz an der Grenze verkn&#252;pft; ein "
		"Szenario f&#252;gt seine &#196;nderung dem verkn&#252;pften Netz hinzu. Der "
		"Unterschied zwischen nl-only und linked ist der Grenzeffekt.",
	[T_STATIONS] = "Bahnh&#246;fe nach Reisezeit",
	[T_STATIONS_EMPTY] = "Keine Bahnh&#246;fe in diesem Bericht.",
	[T_STATIONS_INTRO] =
		"Schematische Karten (Bahnh&#246;fe an ihren Koordinaten, kein Hintergrund): "
		"zuerst die mediane Reisezeit &#252;ber das Abfahrtsfenster im Basisnetz, dann "
		"f&#252;r jedes Szenario die Ver&#228;nderung, die es bringt. Zeigen Sie auf einen "
		"Bahnhof f&#252;r Name und Zeit.",
	[T_JOURNEYS] = "Schnellste Verbindungen",
	[T_JOURNEYS_EMPTY] = "Keine Verbindungen in diesem Bericht.",
	[T_JOURNEYS_INTRO] = "Die schnellste Verbindung des Fensters je Paar; Abschnitte &#252;ber "
			     "die Grenze (zwischen Halten verschiedener Feeds) sind markiert.",
	[T_JOURNEY_HEAD] = "<th>von</th><th>Abfahrt</th><th>nach</th><th>Ankunft</th>"
			   "<th>Linie</th>",
	[T_WALK] = "Fu&#223;weg",
	[T_BORDER_CROSSING] = "Grenz&#252;bergang",
	[T_TRANSFERS] = "Umstiege",
	[T_TIMETABLES] = "Fahrpl&#228;ne",
	[T_NO_PUBLISHER] = "Herausgeber nicht angegeben (keine feed_info.txt)",
	[T_VERSION] = "Version",
	[T_RECONSTRUCTION] =
		"Diese Fahrpl&#228;ne sind eine <b>Rekonstruktion</b>, kein Feed eines "
		"Verkehrsunternehmens: Linien, Halte, Takte und Fahrzeiten aus "
		"ver&#246;ffentlichten Quellen (feeds/README.md). Beobachtet: die Minuten des "
		"RE18 (AVV-Fahrplan 2024), die ver&#246;ffentlichten Reisezeiten und die "
		"Umsteigezeiten in transfers.txt. <b>SCH&#196;TZUNG</b> (ESTIMATE): die Minuten "
		"der NS-Intercitys in Heerlen und Eindhoven (feeds/lines/ns.lines), von denen "
		"jeder Zeitgewinn oben abh&#228;ngt. F&#252;r die echten Zahlen den Bericht auf "
		"den offiziellen Feeds rechnen.",
	[T_OFFICIAL] = "Die Fahrpl&#228;ne sind die Feeds oben, wie ihre Herausgeber sie "
		       "ver&#246;ffentlicht haben (feed_info.txt).",
	[T_POPULATION] = "Einwohner",
	[T_POPULATION_INTRO] = "Ein Punkt je Gemeinde, ihre ganze Einwohnerzahl in ihrem "
			       "Schwerpunkt.",
	[T_POPULATION_HEAD] = "<th>Land</th><th>Gemeinden</th><th>Einwohner</th>"
			      "<th>Stichtag</th><th>Quelle</th>",
	[T_ATTRIBUTION] =
		"Einwohnerzahlen: CBS (CC BY 4.0); &#169; Statistisches Bundesamt (Destatis); "
		"Statbel (open data). Koordinaten: GeoNames (CC BY 4.0); Bahnhofsdaten DB "
		"InfraGO / OpenStreetMap-Mitwirkende (ODbL). Einzelheiten und Lizenzen: "
		"feeds/places/SOURCES.md. ABGELEITET: von grens summiert oder zugeordnet.",
	[T_ACCESS] = "Zum und vom Bahnhof",
	[T_NOT_INCLUDED] = "Nicht enthalten",
	[T_NOT_INCLUDED_TEXT] =
		"Fahrpreise, Auslastung und Zuverl&#228;ssigkeit: jede Zeit ist eine "
		"Fahrplanzeit, mit den Umsteigezeiten der Feeds (keine Versp&#228;tungen, keine "
		"verpassten Anschl&#252;sse). Orte ohne erreichbaren Halt z&#228;hlen f&#252;r "
		"niemanden.",
	[T_PROVENANCE] = "Herkunft",
	[T_PROVENANCE_HEAD] = "<th>Feed</th><th>Version</th><th>Datei</th><th>SHA-256</th>",
	[T_SCENARIO_HEAD] = "<th>Szenario</th><th>SHA-256</th><th>Beschreibung</th>",
	[T_RUN] = "gerechnet",
	[T_AXIS_DEPARTURE] = "Abfahrtszeit",
	[T_AXIS_TRAVEL] = "Reisezeit (h:mm)",
	[T_AXIS_DIFF] = "Szenario minus Basis (min)",
	[T_NO_JOURNEY_BASE] = "keine Verbindung im Basisnetz",
	[T_CHART_PROFILE] = "Reisezeit nach Abfahrtsminute",
	[T_CHART_DIFF] = "Reisezeit des Szenarios minus Basis nach Abfahrtsminute",
	[T_SEE_TABLE] = "Zahlen in der Tabelle darunter",
	[T_DIFF_NOTE] = "Rechts: die Reisezeit jedes Szenarios minus die der Basis f&#252;r dieselbe Abfahrtsminute; unter null ist schneller. Ein Strich am oberen Rand: eine Abfahrt mit Verbindung nur im Szenario; am unteren Rand: nur in der Basis.",
	[T_SUMMARY_HEAD] = "<th>Szenario</th><th>min</th><th>Median</th><th>p90</th><th>max</th><th>mittl. Umstiege</th><th>Anteil unter Schwelle</th><th>Abfahrten erreicht</th>",
	[T_FROM] = "Ab",
	[T_CHART_OPPORTUNITIES] = "Erreichte Einwohner innerhalb jeder Reisezeit, verglichen mit dem heutigen Netz",
	[T_AXIS_PEOPLE] = "Einwohner ggb. heute",
	[T_PEOPLE] = "Einwohner",
	[T_OPP_NOTE] = "Balken: innerhalb jeder Reisezeit erreichte Einwohner minus die Zahl mit dem heutigen Netz (<i>linked</i>). <i>nl-only</i> unter null ist, was die Grenze kostet; ein Szenario &#252;ber null, was es hinzuf&#252;gt. Die vollen Zahlen stehen in der Tabelle.",
	[T_VARIANT] = "Variante",
	[T_MAP_CHANGE] = "Ver&#228;nderung mit %s",
	[T_MAP_BASE] = "Reisezeit im Basisnetz",
	[T_SEE_HOVER] = "zeigen Sie auf einen Bahnhof f&#252;r Name und Zeit",
	[T_MAP_CHANGE_LEGEND] = "Farbe: Ver&#228;nderung der medianen Reisezeit gegen&#252;ber der Basis, blau schneller, rot langsamer, wei&#223; gleich; dicker Ring: nur mit dem Szenario erreicht; grau: nicht erreicht.",
	[T_MAP_BASE_LEGEND] = "Farbe: mediane Reisezeit von gr&#252;n (kurz) bis rot (lang); grau: nicht erreicht.",
	[T_MAP_BORDER_NOTE] = "Gestrichelte Linie: ein schematischer Umriss der Grenze NL&#8211;DE (keine Grenzdaten in dieser Version).",
	[T_HL_UPTO] = "bis zu",
	[T_HL_FASTER_TO] = "schneller je Zug nach",
	[T_HL_PEOPLE] = "Einwohner innerhalb von 120&#8239;min ab",
	[T_HL_TODAY] = "heute &#252;ber die Grenze hinweg, gegen&#252;ber",
	[T_HL_NATIONAL] = "in der nationalen Sicht",
	[T_BORDER_MAP] = "Wer innerhalb von 120 min liegt, heute und in der nationalen Sicht",
	[T_SEE_HOVER_PLACE] = "zeigen Sie auf einen Ort f&#252;r Name, Einwohner und Zeiten",
	[T_BM_NATIONAL] = "innerhalb von 120&#8239;min in der nationalen Sicht",
	[T_BM_TODAY] = "innerhalb von 120&#8239;min nur heute",
	[T_BM_NONE] = "weiter",
	[T_BM_NOTE] = "Jeder Kreis ist eine Gemeinde, seine Fl&#228;che im Verh&#228;ltnis zu ihren Einwohnern; die mediane Reisezeit &#252;ber das Fenster ab dem Start bestimmt die Farbe. Die ersten beiden Zahlen ergeben zusammen die Spalte heute der Tabelle oben bei p50 innerhalb von 120 min, die erste allein die nationale.",
};

const char *const *report_catalogue(const char *lang)
{
	if (!lang || strcmp(lang, "en") == 0)
		return en;
	if (strcmp(lang, "nl") == 0)
		return nl;
	if (strcmp(lang, "de") == 0)
		return de;
	return NULL;
}
