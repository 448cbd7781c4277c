#include <ix/statistics/texts.hpp>

#include <algorithm>
#include <map>
#include <utility>

namespace ix::statistics {
namespace {

// One row of the table: Swedish, English, Finnish, Arabic. Easy-read Swedish (sv-x-easy) is not
// a report language: reports are read by staff, politicians and statisticians, not by clients,
// and a reader asking for it gets the Swedish report by the fallback rule.
struct Row {
  const char* sv;
  const char* en;
  const char* fi;
  const char* ar;
};

// Every fixed text of the reports, their charts and notices. Patterns with {name} are filled
// by core::FillText in every language at once.
constexpr Row kRows[] = {
    // Categories, sex, exit reasons, KAS outcomes, bands (labels of rows and columns).
    {"Endast RH", "RH only", "Vain RH", "RH فقط"},
    {"AM + RH R1 (fysisk)", "AM + RH R1 (physical)", "AM + RH R1 (fyysinen)", "AM + RH R1 (جسدية)"},
    {"AM + RH R2 (psykisk)", "AM + RH R2 (mental)", "AM + RH R2 (psyykkinen)", "AM + RH R2 (نفسية)"},
    {"AM + RH R3 (missbruk)", "AM + RH R3 (substance use)", "AM + RH R3 (päihteet)", "AM + RH R3 (إدمان)"},
    {"AM + RH flera R", "AM + RH several R kinds", "AM + RH useita R-tyyppejä", "AM + RH عدة أنواع R"},
    {"Vidare utredning", "Further investigation", "Lisäselvitys", "مزيد من التحقيق"},
    {"Ej kategoriserad", "Not categorised", "Ei luokiteltu", "غير مصنف"},
    {"Kvinnor", "Women", "Naiset", "النساء"},
    {"Män", "Men", "Miehet", "الرجال"},
    {"Övriga/ej angivet", "Other/not recorded", "Muut/ei ilmoitettu", "أخرى/غير مسجل"},
    {"Kvinnor och män", "Women and men", "Naiset ja miehet", "النساء والرجال"},
    {"Avslut: arbete", "Exit: work", "Päättyminen: työ", "الخروج: عمل"},
    {"Avslut: studier", "Exit: studies", "Päättyminen: opinnot", "الخروج: دراسة"},
    {"Avslut: annan ersättning", "Exit: other benefit", "Päättyminen: muu etuus", "الخروج: إعانة أخرى"},
    {"Avslut: flyttat", "Exit: moved", "Päättyminen: muuttanut", "الخروج: انتقال"},
    {"Avslut: annat", "Exit: other", "Päättyminen: muu", "الخروج: سبب آخر"},
    {"Avslut: orsak ej angiven", "Exit: reason not recorded", "Päättyminen: syy ei ilmoitettu", "الخروج: السبب غير مسجل"},
    {"Ej angivet", "Not recorded", "Ei ilmoitettu", "غير مسجل"},
    {"Arbete utan stöd", "Unsubsidised work", "Tukematon työ", "عمل غير مدعوم"},
    {"Subventionerat arbete", "Subsidised work", "Tuettu työ", "عمل مدعوم"},
    {"Studier", "Studies", "Opinnot", "دراسة"},
    {"Avslutat uppdrag", "Completed assignment", "Toimeksianto suoritettu", "مهمة منجزة"},
    {"Åter till remittent", "Returned to referrer", "Palautettu lähettäjälle", "أعيد إلى الجهة المُحيلة"},
    {"Annat", "Other", "Muu", "أخرى"},
    {"övriga/okänd", "other/unknown", "muu/tuntematon", "أخرى/غير معروف"},
    {"Totalt", "Total", "Yhteensä", "المجموع"},
    {"Kategori", "Category", "Luokka", "الفئة"},
    // Snapshot.
    {"Ögonblicksbild: personer per kategori", "Snapshot: persons per category", "Tilannekuva: henkilöt luokittain",
     "لقطة: الأشخاص حسب الفئة"},
    {"Kategori × kön", "Category × sex", "Luokka × sukupuoli", "الفئة × الجنس"},
    {"Kategori × åldersgrupp", "Category × age band", "Luokka × ikäryhmä", "الفئة × الفئة العمرية"},
    {"Kategori × tid med bistånd (månader)", "Category × time on assistance (months)",
     "Luokka × toimeentulotuen kesto (kuukautta)", "الفئة × مدة تلقي المساعدة (بالأشهر)"},
    {"Personer med pågående bistånd på datumet; kategori = senaste gällande kategorisering; tid med bistånd = hela "
     "månader i följd utan uppehåll (som i handläggningen).",
     "Persons with an open assistance period on the date; category = latest effective categorisation; time on "
     "assistance = whole months in a row without a break (as in casework).",
     "Henkilöt, joilla on päivämääränä voimassa oleva toimeentulotukijakso; luokka = viimeisin voimassa oleva "
     "luokittelu; tuen kesto = kokonaiset peräkkäiset kuukaudet ilman taukoa (kuten asiakastyössä).",
     "الأشخاص الذين لديهم فترة مساعدة جارية في التاريخ المحدد؛ الفئة = آخر تصنيف ساري؛ مدة المساعدة = الأشهر "
     "الكاملة المتتالية دون انقطاع (كما في معالجة الحالات)."},
    // Movements.
    {"Förflyttningar mellan kategorier", "Movements between categories", "Siirtymät luokkien välillä",
     "التنقلات بين الفئات"},
    {"Nya", "New entrants", "Uudet", "الداخلون الجدد"},
    {"Från kategori (rad) till kategori eller avslut (kolumn)", "From category (row) to category or exit (column)",
     "Luokasta (rivi) luokkaan tai päättymiseen (sarake)", "من الفئة (الصف) إلى الفئة أو الخروج (العمود)"},
    {"Rader: kategori vid periodens start eller ny; kolumner: kategori vid periodens slut eller avslut efter orsak. "
     "Procent = andel av radsumman.",
     "Rows: category at the start of the period or new entrant; columns: category at the end or exit by reason. "
     "Percent = share of the row total.",
     "Rivit: luokka jakson alussa tai uusi; sarakkeet: luokka jakson lopussa tai päättyminen syyn mukaan. "
     "Prosentti = osuus rivin summasta.",
     "الصفوف: الفئة في بداية الفترة أو داخل جديد؛ الأعمدة: الفئة في نهاية الفترة أو الخروج حسب السبب. "
     "النسبة المئوية = الحصة من مجموع الصف."},
    // Trend.
    {"Personer med bistånd per månad", "Persons on assistance per month", "Toimeentulotukea saavat henkilöt kuukausittain",
     "الأشخاص الذين يتلقون المساعدة شهريًا"},
    {"Månadens sista dag × kön", "Last day of month × sex", "Kuukauden viimeinen päivä × sukupuoli",
     "آخر يوم من الشهر × الجنس"},
    // KAS.
    {"(övriga insatstyper)", "(other kinds)", "(muut toimenpidetyypit)", "(أنواع أخرى)"},
    {"(insatstyp ej angiven)", "(kind not recorded)", "(toimenpidetyyppiä ei ilmoitettu)", "(النوع غير مسجل)"},
    {"KAS: utfall av avslutade insatser efter behov vid start", "KAS: outcomes of ended interventions by need at start",
     "KAS: päättyneiden toimenpiteiden tulokset alkutilanteen tarpeen mukaan",
     "KAS: نتائج التدخلات المنتهية حسب الحاجة عند البدء"},
    {"Kategori vid insatsens start × utfall", "Category at the intervention's start × outcome",
     "Luokka toimenpiteen alkaessa × tulos", "الفئة عند بدء التدخل × النتيجة"},
    {"Insatstyp × utfall", "Intervention kind × outcome", "Toimenpidetyyppi × tulos", "نوع التدخل × النتيجة"},
    {"Insatstyp / kategori vid start × utfall", "Intervention kind / category at start × outcome",
     "Toimenpidetyyppi / luokka alussa × tulos", "نوع التدخل / الفئة عند البدء × النتيجة"},
    {"Ålder vid insatsens start × utfall", "Age at the intervention's start × outcome",
     "Ikä toimenpiteen alkaessa × tulos", "العمر عند بدء التدخل × النتيجة"},
    {"Tid i insatsen (månader) × utfall", "Time in the intervention (months) × outcome",
     "Aika toimenpiteessä (kuukautta) × tulos", "المدة في التدخل (بالأشهر) × النتيجة"},
    {"Varje avslutad insats i urvalet räknas en gång (ett deltagande), i den kategori som gällde den dag insatsen "
     "startade (behovet vid start, inte kategorin en uppföljning satte när den avslutades). Urval: ansvarig aktör och "
     "insatstyp enligt parametrarna (* = alla). Tid i insatsen = hela månader från start till slut.",
     "Each ended intervention in scope counts once (a participation), in the category that held on the day it "
     "started (the need at entry, not the category a follow-up set when it ended). Scope: responsible actor and "
     "intervention kind as in the parameters (* = all). Time in the intervention = whole months from start to end.",
     "Jokainen rajaukseen kuuluva päättynyt toimenpide lasketaan kerran (osallistuminen) siinä luokassa, joka oli "
     "voimassa toimenpiteen alkamispäivänä (tarve alussa, ei luokka, jonka seuranta asetti toimenpiteen päättyessä). "
     "Rajaus: vastuullinen toimija ja toimenpidetyyppi parametrien mukaan (* = kaikki). Aika toimenpiteessä = "
     "kokonaiset kuukaudet alusta loppuun.",
     "يُحسب كل تدخل منتهٍ ضمن النطاق مرة واحدة (مشاركة واحدة)، في الفئة التي كانت سارية يوم بدئه (الحاجة عند "
     "الدخول، لا الفئة التي حددتها المتابعة عند انتهائه). النطاق: الجهة المسؤولة ونوع التدخل كما في المعايير "
     "(* = الكل). المدة في التدخل = الأشهر الكاملة من البداية إلى النهاية."},
    {"Insatser utanför urvalet som avslutades under perioden räknas inte.",
     "Interventions outside the scope that ended in the period are not counted.",
     "Rajauksen ulkopuolisia toimenpiteitä, jotka päättyivät jakson aikana, ei lasketa.",
     "لا تُحسب التدخلات خارج النطاق التي انتهت خلال الفترة."},
    // Outcomes.
    {"Utfall per insats och behov", "Outcomes by intervention and need", "Tulokset toimenpiteittäin ja tarpeittain",
     "النتائج حسب التدخل والحاجة"},
    {"Insatstyp / kategori vid start: lämnat biståndet för egen försörjning inom {months} månader",
     "Intervention kind / category at start: left assistance for self-support within {months} months",
     "Toimenpidetyyppi / luokka alussa: siirtynyt omaan elatukseen {months} kuukauden kuluessa",
     "نوع التدخل / الفئة عند البدء: ترك المساعدة إلى الاكتفاء الذاتي خلال {months} شهرًا"},
    {"Egen försörjning (arbete, studier)", "Self-support (work, studies)", "Oma elatus (työ, opinnot)",
     "الاكتفاء الذاتي (عمل، دراسة)"},
    {"Inte egen försörjning", "No self-support", "Ei omaa elatusta", "دون اكتفاء ذاتي"},
    {"Insatstyp / kategori vid start × KAS-utfall", "Intervention kind / category at start × KAS outcome",
     "Toimenpidetyyppi / luokka alussa × KAS-tulos", "نوع التدخل / الفئة عند البدء × نتيجة KAS"},
    {"Insatstyp / kategori vid start × tid i insatsen (månader)",
     "Intervention kind / category at start × time in the intervention (months)",
     "Toimenpidetyyppi / luokka alussa × aika toimenpiteessä (kuukautta)",
     "نوع التدخل / الفئة عند البدء × المدة في التدخل (بالأشهر)"},
    {"Alla insatser (alla aktörer) som avslutades under perioden, i kategorin som gällde när insatsen startade. Egen "
     "försörjning: en biståndsperiod avslutades med orsak arbete eller studier mellan insatsens start och {months} "
     "månader efter dess slut (så långt händelserna räcker).",
     "Every intervention (any actor) that ended in the period, in the category that held when it started. "
     "Self-support: an assistance period ended with reason work or studies between the intervention's start and "
     "{months} months after its end (as far as the events reach).",
     "Kaikki jakson aikana päättyneet toimenpiteet (kaikki toimijat) siinä luokassa, joka oli voimassa toimenpiteen "
     "alkaessa. Oma elatus: toimeentulotukijakso päättyi syynä työ tai opinnot toimenpiteen alun ja {months} "
     "kuukautta sen päättymisen jälkeen välisenä aikana (niin pitkälle kuin tapahtumat ulottuvat).",
     "كل التدخلات (من أي جهة) التي انتهت خلال الفترة، في الفئة التي كانت سارية عند بدئها. الاكتفاء الذاتي: انتهت "
     "فترة مساعدة بسبب العمل أو الدراسة بين بدء التدخل و{months} شهرًا بعد انتهائه (بقدر ما تصل إليه الأحداث)."},
    // Equality.
    {"Jämställdhetsmonitor", "Equality monitor", "Tasa-arvoseuranta", "مرصد المساواة بين الجنسين"},
    {"Kvinnor: personer med insats", "Women: persons with an intervention", "Naiset: henkilöt, joilla on toimenpide",
     "النساء: أشخاص لديهم تدخل"},
    {"Kvinnor: arbetsinriktad", "Women: work-oriented", "Naiset: työhön suuntautuva", "النساء: موجَّه نحو العمل"},
    {"Kvinnor: rehabiliterande", "Women: rehabilitative", "Naiset: kuntouttava", "النساء: تأهيلي"},
    {"Män: personer med insats", "Men: persons with an intervention", "Miehet: henkilöt, joilla on toimenpide",
     "الرجال: أشخاص لديهم تدخل"},
    {"Män: arbetsinriktad", "Men: work-oriented", "Miehet: työhön suuntautuva", "الرجال: موجَّه نحو العمل"},
    {"Män: rehabiliterande", "Men: rehabilitative", "Miehet: kuntouttava", "الرجال: تأهيلي"},
    {"Insatser som startade under perioden, per kategori", "Interventions started in the period, per category",
     "Jakson aikana alkaneet toimenpiteet luokittain", "التدخلات التي بدأت خلال الفترة، حسب الفئة"},
    {"Kategoriserade personer med bistånd vid periodens slut", "Categorised persons on assistance at the end of the period",
     "Luokitellut toimeentulotukea saavat henkilöt jakson lopussa",
     "الأشخاص المصنَّفون الذين يتلقون المساعدة في نهاية الفترة"},
    {"Kategoriserade", "Categorised", "Luokitellut", "المصنَّفون"},
    {"Med RH", "With RH", "RH-tarve", "مع RH"},
    {"Flaggor: skillnad mellan kvinnors och mäns andel större än tröskeln, inom samma kategori (insatser) eller bland "
     "alla kategoriserade (RH).",
     "Flags: difference between women's and men's share above the threshold, within the same category "
     "(interventions) or among all categorised (RH).",
     "Liput: naisten ja miesten osuuksien ero on kynnysarvoa suurempi saman luokan sisällä (toimenpiteet) tai kaikkien "
     "luokiteltujen joukossa (RH).",
     "العلامات: فرق بين حصة النساء وحصة الرجال أكبر من العتبة، داخل الفئة نفسها (التدخلات) أو بين جميع المصنَّفين "
     "(RH)."},
    {"Flaggade skillnader", "Flagged differences", "Merkityt erot", "الفروق المُعلَّمة"},
    {"Mått", "Measure", "Mittari", "المقياس"},
    {"Skillnad (procentenheter)", "Difference (percentage points)", "Ero (prosenttiyksikköä)", "الفرق (نقاط مئوية)"},
    {"Alla kategoriserade", "All categorised", "Kaikki luokitellut", "جميع المصنَّفين"},
    // Caseload.
    {"Ärendebelastning per handläggare", "Caseload per caseworker", "Asiakasmäärä käsittelijää kohden",
     "عبء الحالات لكل موظف حالة"},
    {"(ej tilldelad)", "(not assigned)", "(ei osoitettu)", "(غير مُسنَد)"},
    {"Öppna ärenden per handläggare och kategori", "Open cases per caseworker and category",
     "Avoimet asiat käsittelijöittäin ja luokittain", "الحالات المفتوحة حسب موظف الحالة والفئة"},
    {"försenad", "overdue", "myöhässä", "متأخر"},
    {"snart", "due soon", "erääntyy pian", "مستحق قريبًا"},
    {"Vad som förfaller (processklockor)", "What is due (process clocks)", "Mitä erääntyy (prosessikellot)",
     "ما هو مستحق (ساعات العملية)"},
    {"Försenad: förfallodagen har passerat utan att steget är gjort; snart: förfaller inom angivet antal dagar. "
     "Beslutsklockan kräver ansökningsdatum som händelserna inte innehåller; erbjudande om DUR/ASI registreras ännu "
     "inte som händelse.",
     "Overdue: the due date has passed and the step is not done; due soon: due within the given number of days. The "
     "decision clock needs application dates that events do not carry; a DUR/ASI offer is not an event yet.",
     "Myöhässä: eräpäivä on ohitettu eikä vaihetta ole tehty; erääntyy pian: erääntyy annetun päivämäärän kuluessa. "
     "Päätöskello tarvitsee hakemuspäivät, joita tapahtumat eivät sisällä; DUR/ASI-tarjousta ei vielä kirjata "
     "tapahtumana.",
     "متأخر: مرّ تاريخ الاستحقاق دون إنجاز الخطوة؛ مستحق قريبًا: مستحق خلال عدد الأيام المحدد. تحتاج ساعة القرار "
     "إلى تواريخ الطلبات التي لا تحملها الأحداث؛ ولا يُسجَّل عرض DUR/ASI حدثًا بعد."},
    // The page: heading, notices, charts.
    {"Statistik, kommun {municipality}", "Statistics, municipality {municipality}", "Tilastot, kunta {municipality}",
     "إحصاءات، البلدية {municipality}"},
    {"Röjandekontroll: celler med 1–{below} personer visas som <{threshold}; celler som visas som .. är dolda så att "
     "ingen dold cell kan räknas fram ur summorna.",
     "Disclosure control: cells with 1–{below} persons are shown as <{threshold}; cells shown as .. are hidden so that "
     "no hidden cell can be computed from the totals.",
     "Paljastumisen suojaus: solut, joissa on 1–{below} henkilöä, näytetään muodossa <{threshold}; muodossa .. "
     "näytetyt solut on piilotettu, jotta mitään piilotettua solua ei voi laskea summista.",
     "ضبط الإفصاح: الخلايا التي تضم من 1 إلى {below} أشخاص تُعرض بالشكل <{threshold}؛ والخلايا المعروضة بالشكل .. "
     "مخفية بحيث لا يمكن حساب أي خلية مخفية من المجاميع."},
    {"Intern rapport utan röjandekontroll: får inte lämna kommunen.",
     "Internal report without disclosure control: must not leave the municipality.",
     "Sisäinen raportti ilman paljastumisen suojausta: ei saa lähteä kunnasta.",
     "تقرير داخلي دون ضبط الإفصاح: يجب ألا يغادر البلدية."},
    {"Deltagare per kategori vid start", "Participants per category at start", "Osallistujat alkutilanteen luokittain",
     "المشاركون حسب الفئة عند البدء"},
    {"Egen försörjning efter insats, per insatstyp och kategori vid start",
     "Self-support after the intervention, per kind and category at start",
     "Oma elatus toimenpiteen jälkeen toimenpidetyypeittäin ja alkutilanteen luokittain",
     "الاكتفاء الذاتي بعد التدخل، حسب النوع والفئة عند البدء"},
    {"Rapportens texter finns inte på språket {requested}; rapporten visas på {used}.",
     "The report's texts are not available in {requested}; the report is shown in {used}.",
     "Raportin tekstejä ei ole kielellä {requested}; raportti näytetään kielellä {used}.",
     "نصوص التقرير غير متوفرة باللغة {requested}؛ يُعرض التقرير باللغة {used}."},
    // Outcome against the targets per need group. In Arabic the arrows of a chain point right to
    // left, the way the text reads.
    {"(inget mål)", "(no target)", "(ei tavoitetta)", "(لا هدف)"},
    {"(mål {target} %)", "(target {target} %)", "(tavoite {target} %)", "(الهدف {target} %)"},
    {"Behov vid start (mål): till arbete eller studier, andel av deltagarna",
     "Need at start (target): to work or studies, share of the participants",
     "Tarve alussa (tavoite): työhön tai opintoihin, osuus osallistujista",
     "الحاجة عند البدء (الهدف): إلى العمل أو الدراسة، حصة المشاركين"},
    {"Arbete eller studier", "Work or studies", "Työ tai opinnot", "عمل أو دراسة"},
    {"Annat utfall", "Other outcome", "Muu tulos", "نتيجة أخرى"},
    {"Mål per behovsgrupp (profilens data; standardprofilen har källornas exempel: 80 % av AM1, 60 % av "
     "AM2 och 40 % av AM3 till arbete eller studier): andelen deltagare vars insats avslutades med "
     "arbete utan eller med stöd eller studier, i kategorin vid insatsens start.",
     "Targets per need group (profile data; the default profile holds the sources' example: 80 % of "
     "AM1, 60 % of AM2 and 40 % of AM3 to work or studies): the share of participants whose "
     "intervention ended in unsubsidised or subsidised work or studies, in the category at its start.",
     "Tavoitteet tarveryhmittäin (profiilin tietoa; oletusprofiilissa on lähteiden esimerkki: 80 % AM1:stä, "
     "60 % AM2:sta ja 40 % AM3:sta työhön tai opintoihin): niiden osallistujien osuus, joiden toimenpide "
     "päättyi tukemattomaan tai tuettuun työhön tai opintoihin, toimenpiteen alkaessa voimassa olleessa luokassa.",
     "الأهداف حسب فئة الحاجة (بيانات الملف التعريفي؛ يتضمن الملف الافتراضي مثال المصادر: 80 % من AM1 "
     "و60 % من AM2 و40 % من AM3 إلى العمل أو الدراسة): حصة المشاركين الذين انتهى تدخلهم بعمل غير مدعوم "
     "أو مدعوم أو بالدراسة، في الفئة عند بدء التدخل."},
    // Lead times.
    {"Ledtider: nybesök, ansökan, beslut, plan, insats", "Lead times: first visit, application, decision, plan, intervention",
     "Läpimenoajat: ensikäynti, hakemus, päätös, suunnitelma, toimenpide",
     "المهل الزمنية: الزيارة الأولى، الطلب، القرار، الخطة، التدخل"},
    {"Nybesök → komplett ansökan", "First visit → complete application", "Ensikäynti → täydellinen hakemus",
     "الزيارة الأولى ← طلب مكتمل"},
    {"Komplett ansökan → beslut", "Complete application → decision", "Täydellinen hakemus → päätös",
     "طلب مكتمل ← قرار"},
    {"Beslut → plan", "Decision → plan", "Päätös → suunnitelma", "قرار ← خطة"},
    {"Plan → första insats", "Plan → first intervention", "Suunnitelma → ensimmäinen toimenpide", "خطة ← أول تدخل"},
    {"Nybesök → första insats", "First visit → first intervention", "Ensikäynti → ensimmäinen toimenpide",
     "الزيارة الأولى ← أول تدخل"},
    {"Glapp mellan insatser", "Gap between interventions", "Katko toimenpiteiden välillä", "فجوة بين التدخلات"},
    {"Alla kategorier", "All categories", "Kaikki luokat", "جميع الفئات"},
    {"Median (dagar)", "Median (days)", "Mediaani (päivää)", "الوسيط (أيام)"},
    {"90:e percentil (dagar)", "90th percentile (days)", "90. persentiili (päivää)", "المئين التسعون (أيام)"},
    {"per kategori vid nybesöket", "by category at the first visit", "luokittain ensikäynnillä",
     "حسب الفئة عند الزيارة الأولى"},
    {"dagar", "days", "päivää", "يومًا"},
    {"dagar, per kategori när nästa insats startade", "days, by category when the next intervention started",
     "päivää, luokittain seuraavan toimenpiteen alkaessa", "أيام، حسب الفئة عند بدء التدخل التالي"},
    {"dagar, per kategori vid nybesöket", "days, by category at the first visit", "päivää, luokittain ensikäynnillä",
     "أيام، حسب الفئة عند الزيارة الأولى"},
    {"Vuxna i AM2/AM3 med bistånd den {date}: aktiv insats eller dagar utan",
     "Adults in AM2/AM3 on assistance on {date}: active intervention or days without",
     "Aikuiset luokissa AM2/AM3, joilla on toimeentulotuki {date}: käynnissä oleva toimenpide tai päivät ilman",
     "البالغون في AM2/AM3 الذين يتلقون المساعدة في {date}: تدخل جارٍ أو أيام بدونه"},
    {"Aktiv insats", "Active intervention", "Käynnissä oleva toimenpide", "تدخل جارٍ"},
    {"Utan insats högst {days} dagar", "No intervention, at most {days} days", "Ilman toimenpidettä enintään {days} päivää",
     "دون تدخل، {days} يومًا على الأكثر"},
    {"Utan insats mer än {days} dagar", "No intervention for more than {days} days",
     "Ilman toimenpidettä yli {days} päivää", "دون تدخل لأكثر من {days} يومًا"},
    {"Ledtid = dagar från ett steg till nästa i kedjan nybesök → komplett ansökan → beslut → plan → första "
     "insats (varje steg det första på eller efter det förra, före nästa nybesök), räknad när det senare "
     "steget inföll under perioden, i kategorin som gällde på nybesöksdagen. Glapp = dagar utan insats "
     "mellan två insatser inom samma biståndsperiod. Median och 90:e percentil visas bara när antalet "
     "bakom dem visas och är minst tröskeln (90:e percentilen: minst 10).",
     "Lead time = days from one step to the next in the chain first visit → complete application → "
     "decision → plan → first intervention (each step the first on or after the previous one, before the "
     "next first visit), counted when the later step fell in the period, in the category on the day of "
     "the first visit. Gap = days without an intervention between two interventions in the same "
     "assistance period. Medians and 90th percentiles are shown only when the count behind them is shown "
     "and at least the threshold (90th percentile: at least 10).",
     "Läpimenoaika = päivät ketjun vaiheesta seuraavaan: ensikäynti → täydellinen hakemus → päätös → "
     "suunnitelma → ensimmäinen toimenpide (kukin vaihe on ensimmäinen edellisen vaiheen päivänä tai sen "
     "jälkeen, ennen seuraavaa ensikäyntiä), laskettuna kun myöhempi vaihe osui jaksolle, ensikäyntipäivänä "
     "voimassa olleessa luokassa. Katko = päivät ilman toimenpidettä kahden toimenpiteen välillä saman "
     "toimeentulotukijakson aikana. Mediaani ja 90. persentiili näytetään vain, kun niiden taustalla oleva "
     "lukumäärä näytetään ja on vähintään kynnysarvo (90. persentiili: vähintään 10).",
     "المهلة الزمنية = عدد الأيام من خطوة إلى التالية في السلسلة: الزيارة الأولى ← طلب مكتمل ← قرار ← خطة ← "
     "أول تدخل (كل خطوة هي الأولى في يوم الخطوة السابقة أو بعده، قبل الزيارة الأولى التالية)، وتُحسب عندما "
     "تقع الخطوة اللاحقة ضمن الفترة، في الفئة السارية يوم الزيارة الأولى. الفجوة = أيام دون تدخل بين تدخلين "
     "ضمن فترة المساعدة نفسها. لا يُعرض الوسيط والمئين التسعون إلا عندما يكون العدد الذي يستندان إليه "
     "معروضًا ولا يقل عن العتبة (المئين التسعون: 10 على الأقل)."},
    {"Median dagar från nybesök till första insats", "Median days from first visit to first intervention",
     "Mediaanipäivät ensikäynnistä ensimmäiseen toimenpiteeseen", "الوسيط بالأيام من الزيارة الأولى إلى أول تدخل"},
    {"AM2/AM3 utan insats längre än gränsen", "AM2/AM3 without an intervention for longer than the limit",
     "AM2/AM3 ilman toimenpidettä rajaa pidempään", "AM2/AM3 دون تدخل لمدة أطول من الحد"},
    // Indicators.
    {"Indikatorer", "Indicators", "Indikaattorit", "المؤشرات"},
    {"Uppfyllda indikatorer (antal)", "Indicators met (count)", "Täyttyneet indikaattorit (lukumäärä)",
     "المؤشرات المستوفاة (العدد)"},
    {"Nybesök bedömda med Instrument X", "First visits assessed with Instrument X",
     "Instrument X:llä arvioidut ensikäynnit", "الزيارات الأولى المقيّمة بـ Instrument X"},
    {"Beslut i tid efter komplett ansökan", "Decisions in time after a complete application",
     "Päätökset ajallaan täydellisen hakemuksen jälkeen", "القرارات في الموعد بعد طلب مكتمل"},
    {"Plan i tid efter nybesök", "Plans in time after the first visit", "Suunnitelmat ajallaan ensikäynnin jälkeen",
     "الخطط في الموعد بعد الزيارة الأولى"},
    {"Ny kategori kort efter första bedömningen", "Recategorised soon after the first assessment",
     "Uusi luokka pian ensimmäisen arvioinnin jälkeen", "إعادة التصنيف بعد وقت قصير من التقييم الأول"},
    {"Del 1–2 ifyllda vid första bedömningen", "Parts 1–2 completed at the first assessment",
     "Osat 1–2 täytetty ensimmäisessä arvioinnissa", "الجزءان 1–2 مكتملان في التقييم الأول"},
    {"Indikator: uppfyllt eller inte (andel av raden)", "Indicator: met or not (share of the row)",
     "Indikaattori: täyttyi tai ei (osuus rivistä)", "المؤشر: مستوفى أم لا (الحصة من الصف)"},
    {"Uppfyllt", "Met", "Täyttyi", "مستوفى"},
    {"Inte uppfyllt", "Not met", "Ei täyttynyt", "غير مستوفى"},
    {"Steg på AM-skalan mellan två bedömningar, efter AM-nivå vid den första",
     "Steps on the AM scale between two assessments, by AM level at the first",
     "Askeleet AM-asteikolla kahden arvioinnin välillä, ensimmäisen AM-tason mukaan",
     "الخطوات على مقياس AM بين تقييمين، حسب مستوى AM في التقييم الأول"},
    {"Närmare arbete", "Closer to work", "Lähempänä työtä", "أقرب إلى العمل"},
    {"Oförändrad", "Unchanged", "Ennallaan", "دون تغيير"},
    {"Längre från arbete", "Further from work", "Kauempana työstä", "أبعد عن العمل"},
    {"Bedömningar under perioden vars händelse anger uppgiften", "Assessments in the period whose event records the fact",
     "Jakson arvioinnit, joiden tapahtuma sisältää tiedon", "التقييمات خلال الفترة التي يسجل حدثها المعلومة"},
    {"Ifyllda delar (första bedömningen)", "Parts completed (first assessment)", "Täytetyt osat (ensimmäinen arviointi)",
     "الأجزاء المكتملة (التقييم الأول)"},
    {"Handläggarens och klientens bedömning", "Caseworker's and client's assessments",
     "Sosiaalityöntekijän ja asiakkaan arviot", "تقييما الموظف المسؤول عن الحالة والعميل"},
    {"De sex AM-skattningarna", "The six AM ratings", "Kuusi AM-arviota", "تقديرات AM الستة"},
    {"Angiven", "Recorded", "Ilmoitettu", "مسجل"},
    {"Inte angiven", "Not recorded", "Ei ilmoitettu", "غير مسجل"},
    {"(ingen enhet)", "(no unit)", "(ei yksikköä)", "(بلا وحدة)"},
    {"Bedömningar med klientens självskattning, per enhet", "Assessments with the client's self-assessment, by unit",
     "Arvioinnit, joissa on asiakkaan itsearvio, yksiköittäin", "التقييمات التي تتضمن التقييم الذاتي للعميل، حسب الوحدة"},
    {"Med självskattning", "With self-assessment", "Itsearvion kanssa", "مع تقييم ذاتي"},
    {"Utan självskattning", "Without self-assessment", "Ilman itsearviota", "دون تقييم ذاتي"},
    {"Handläggare och klient bedömde båda: samma eller olika kategori, per enhet",
     "Caseworker and client both assessed: same or different category, by unit",
     "Sosiaalityöntekijä ja asiakas arvioivat molemmat: sama tai eri luokka, yksiköittäin",
     "قيّم كل من الموظف المسؤول والعميل: الفئة نفسها أو مختلفة، حسب الوحدة"},
    {"Samma", "Agree", "Sama", "متطابقة"},
    {"Olika", "Differ", "Eri", "مختلفة"},
    {"Förändring i varje AM-skattning mellan två bedömningar", "Change in each AM rating between two assessments",
     "Muutos kussakin AM-arviossa kahden arvioinnin välillä", "التغير في كل تقدير من تقديرات AM بين تقييمين"},
    {"Utbildning", "Education", "Koulutus", "التعليم"},
    {"Svenska", "Swedish", "Ruotsin kieli", "اللغة السويدية"},
    {"Arbetslivserfarenhet", "Work experience", "Työkokemus", "الخبرة العملية"},
    {"Hälsa", "Health", "Terveys", "الصحة"},
    {"Motivation", "Motivation", "Motivaatio", "الدافعية"},
    {"Arbetssökande", "Job seeking", "Työnhaku", "البحث عن عمل"},
    {"Uppfyllt/inte uppfyllt räknas när fristen (eller nybesöket) inföll under perioden. Besluts- och "
     "planfristerna är profilens processklockor. Ifyllda delar, båda bedömningarna och AM-skattningarna "
     "finns bara i nyare händelser: en bedömning vars händelse saknar uppgiften räknas som inte angiven "
     "och ingår inte i andelen. Olika kategori = olika AM-nivå eller olika R-typer. Enhet = den "
     "ansvariga enheten på bedömningsdagen.",
     "Met / not met is counted when the deadline (or the first visit) fell in the period. The decision "
     "and plan deadlines are the profile's process clocks. Parts completed, both assessments and the AM "
     "ratings are in newer events only: an assessment whose event lacks the fact counts as not "
     "recorded and is left out of the share. Different category = a different AM level or different "
     "R kinds. Unit = the unit responsible on the day of the assessment.",
     "Täyttyi / ei täyttynyt lasketaan, kun määräaika (tai ensikäynti) osui jaksolle. Päätös- ja "
     "suunnitelmamääräajat ovat profiilin prosessikelloja. Täytetyt osat, molemmat arviot ja AM-arviot ovat "
     "vain uudemmissa tapahtumissa: arviointi, jonka tapahtumasta tieto puuttuu, lasketaan ilmoittamattomaksi "
     "eikä se sisälly osuuteen. Eri luokka = eri AM-taso tai eri R-tyypit. Yksikkö = arviointipäivänä "
     "vastuussa ollut yksikkö.",
     "يُحسب «مستوفى / غير مستوفى» عندما يقع الموعد النهائي (أو الزيارة الأولى) ضمن الفترة. موعدا القرار "
     "والخطة هما ساعتا العملية في الملف التعريفي. الأجزاء المكتملة والتقييمان وتقديرات AM موجودة في الأحداث "
     "الأحدث فقط: التقييم الذي يفتقر حدثه إلى المعلومة يُعد غير مسجل ولا يدخل في الحصة. فئة مختلفة = مستوى "
     "AM مختلف أو أنواع R مختلفة. الوحدة = الوحدة المسؤولة في يوم التقييم."},
    // The network report (municipalities side by side; its table ids and row and column keys are codes).
    {"Nätverksrapport: KAS per kommun", "Network report: KAS by municipality", "Verkostoraportti: KAS kunnittain",
     "تقرير الشبكة: KAS حسب البلدية"},
    {"Nätverksrapport: förflyttningar per kommun", "Network report: movements by municipality",
     "Verkostoraportti: siirtymät kunnittain", "تقرير الشبكة: التنقلات حسب البلدية"},
    {"Varje kommun visar sina celler som de publicerades efter röjandekontroll i kommunen. "
     "Nätverkets summa visas bara där alla kommuner publicerade cellen; annars \"..\".",
     "Each municipality shows its cells as published after disclosure control in the "
     "municipality. The network total is shown only where every municipality published "
     "the cell; otherwise \"..\".",
     "Kukin kunta näyttää solunsa sellaisina kuin ne julkaistiin kunnan paljastumisen suojauksen jälkeen. "
     "Verkoston summa näytetään vain, jos kaikki kunnat julkaisivat solun; muuten \"..\".",
     "تعرض كل بلدية خلاياها كما نُشرت بعد ضبط الإفصاح فيها. لا يُعرض مجموع الشبكة إلا حيث نشرت جميع "
     "البلديات الخلية؛ وإلا \"..\"."},
    {"Deltagare per kommun: kvinnor och män", "Participants by municipality: women and men",
     "Osallistujat kunnittain: naiset ja miehet", "المشاركون حسب البلدية: النساء والرجال"},
    {"Personer per kommun: kvinnor och män", "Persons by municipality: women and men",
     "Henkilöt kunnittain: naiset ja miehet", "الأشخاص حسب البلدية: النساء والرجال"},
    {"Rad", "Row", "Rivi", "الصف"},
    {"Kommun", "Municipality", "Kunta", "البلدية"},
    {"Nätverket", "Network", "Verkosto", "الشبكة"},
    {"tröskel", "threshold", "kynnys", "العتبة"},
    {"regeluppsättning", "rule set", "sääntöjoukko", "مجموعة القواعد"},
    {"instrumentdefinition", "definition", "instrumentin määritelmä", "تعريف الأداة"},
};

constexpr const char* kFinnish = "fi";
constexpr const char* kArabic = "ar";

std::string Key(const std::string& sv, const std::string& en) { return sv + '\x1f' + en; }

const std::map<std::string, size_t>& Index() {
  static const std::map<std::string, size_t> index = [] {
    std::map<std::string, size_t> out;
    const auto& table = ReportTextTable();
    for (size_t i = 0; i < table.size(); ++i) out.emplace(Key(table[i].sv, table[i].en), i);
    return out;
  }();
  return index;
}

}  // namespace

const std::vector<std::string>& ReportLanguages() {
  static const std::vector<std::string> languages = {"sv", "en", kFinnish, kArabic};
  return languages;
}

const std::vector<core::LanguageNote>& ReportLanguageNotes() {
  static const std::vector<core::LanguageNote> notes = {
      {kFinnish, true, "Raportin tekstien edustava käännös, joka on kirjoitettu tätä projektia varten."},
      {kArabic, true, "ترجمة تمثيلية لنصوص التقرير كُتبت لهذا المشروع."},
  };
  return notes;
}

const std::vector<LocalizedText>& ReportTextTable() {
  static const std::vector<LocalizedText> table = [] {
    std::vector<LocalizedText> out;
    for (const Row& row : kRows) out.push_back({row.sv, row.en, {{kFinnish, row.fi}, {kArabic, row.ar}}});
    return out;
  }();
  return table;
}

LocalizedText Translated(const LocalizedText& text) {
  if (!text.translations.empty()) return text;
  const auto it = Index().find(Key(text.sv, text.en));
  return it == Index().end() ? text : ReportTextTable()[it->second];
}

LocalizedText Concat(const LocalizedText& a, std::string_view separator, const LocalizedText& b) {
  return core::FillText(core::Verbatim("{a}" + std::string(separator) + "{b}"), {{"a", Translated(a)}, {"b", Translated(b)}});
}

std::optional<Language> ParseLanguage(std::string_view tag, std::string* why) {
  const auto parsed = core::ParseLanguageTag(tag, why);
  if (!parsed) return std::nullopt;
  return Language{*parsed, core::FirstAvailable(*parsed, ReportLanguages())};
}

bool Language::RightToLeft() const {
  const auto tag = core::ParseLanguageTag(used);
  return tag && core::IsRightToLeft(*tag);
}

const Language Language::kSv = *ParseLanguage("sv");
const Language Language::kEn = *ParseLanguage("en");

std::string InLanguage(const LocalizedText& text, const Language& lang, std::string* used) {
  return core::TextIn(Translated(text), lang.requested, used);
}

LocalizedText TotalLabel() { return Translated({"Totalt", "Total"}); }

LocalizedText ReportHeading(const std::string& municipality) {
  return core::FillText(Translated({"Statistik, kommun {municipality}", "Statistics, municipality {municipality}"}),
                        {{"municipality", core::Verbatim(municipality)}});
}

LocalizedText LanguageFallbackNote(const Language& lang) {
  return core::FillText(Translated({"Rapportens texter finns inte på språket {requested}; rapporten visas på {used}.",
                                    "The report's texts are not available in {requested}; the report is shown in {used}."}),
                        {{"requested", core::Verbatim(lang.requested.tag)}, {"used", core::Verbatim(lang.used)}});
}

std::vector<std::string> LanguageNotices(const Language& lang) {
  std::vector<std::string> out;
  for (const core::LanguageNote& note : ReportLanguageNotes()) {
    if (note.language == lang.used && note.representative_translation) out.push_back(note.notice);
  }
  if (lang.used != lang.requested.tag) out.push_back(InLanguage(LanguageFallbackNote(lang), lang));
  return out;
}

}  // namespace ix::statistics
