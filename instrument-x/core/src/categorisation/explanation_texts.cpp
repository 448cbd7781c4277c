#include <ix/core/categorisation/explanation_texts.hpp>

#include <algorithm>

namespace ix::core {
namespace {

constexpr const char* kFinnish = "fi";
constexpr const char* kArabic = "ar";
constexpr const char* kEasySwedish = "sv-x-easy";

struct Row {
  Sentence sentence;
  const char* sv;
  const char* en;
  const char* fi;
  const char* ar;
  const char* easy;  // sv-x-easy: short sentences, everyday words
};

// In the order of the enum. The sv and en texts are the sentences as they always read.
constexpr Row kRows[] = {
    {Sentence::kRatings, "Skattningar (1 = nära arbetsmarknaden, {far} = långt ifrån): {list}{sum}",
     "Ratings (1 = close to the labour market, {far} = far): {list}{sum}",
     "Arviot (1 = lähellä työmarkkinoita, {far} = kaukana): {list}{sum}",
     "التقييمات (1 = قريب من سوق العمل، {far} = بعيد): {list}{sum}",
     "Bedömningar (1 = nära ett jobb, {far} = långt från ett jobb): {list}{sum}"},
    {Sentence::kRatingMissing, "saknas", "missing", "puuttuu", "غير موجود", "saknas"},
    {Sentence::kRatingsSum, "; S = {s}, {n} skattningar {far}.", "; S = {s}, {n} rating(s) of {far}.",
     "; S = {s}, {n} arviota {far}.", "؛ S = {s}، {n} تقييمات بقيمة {far}.", "; summan S = {s}, {n} bedömningar är {far}."},
    {Sentence::kAm1, "AM1: S = {s} ≤ {am1} och ingen skattning {far}.", "AM1: S = {s} ≤ {am1} and no rating of {far}.",
     "AM1: S = {s} ≤ {am1} eikä yhtään arviota {far}.", "AM1: S = {s} ≤ {am1} ولا يوجد تقييم بقيمة {far}.",
     "AM1: summan S = {s} är högst {am1}, och ingen bedömning är {far}."},
    {Sentence::kAm2,
     "AM2: varken AM1 (S ≤ {am1} utan skattning {far}) eller AM3 (S ≥ {am3} eller minst {min_far} skattningar {far}) "
     "gäller; S = {s}, {n} skattningar {far}.",
     "AM2: neither AM1 (S ≤ {am1} with no rating of {far}) nor AM3 (S ≥ {am3} or at least {min_far} ratings of {far}) "
     "holds; S = {s}, {n} rating(s) of {far}.",
     "AM2: ei AM1 (S ≤ {am1} ilman arviota {far}) eikä AM3 (S ≥ {am3} tai vähintään {min_far} arviota {far}); S = {s}, "
     "{n} arviota {far}.",
     "AM2: لا ينطبق AM1 (S ≤ {am1} دون تقييم بقيمة {far}) ولا AM3 (S ≥ {am3} أو {min_far} تقييمات على الأقل بقيمة "
     "{far})؛ S = {s}، {n} تقييمات بقيمة {far}.",
     "AM2: det är varken AM1 eller AM3. Summan S = {s}. {n} bedömningar är {far}."},
    {Sentence::kAm3Sum, "AM3: S = {s} ≥ {am3}.", "AM3: S = {s} ≥ {am3}.", "AM3: S = {s} ≥ {am3}.", "AM3: S = {s} ≥ {am3}.",
     "AM3: summan S = {s} är minst {am3}."},
    {Sentence::kAm3FarRatings, "AM3: {n} skattningar {far} (minst {min_far}).", "AM3: {n} ratings of {far} (at least {min_far}).",
     "AM3: {n} arviota {far} (vähintään {min_far}).", "AM3: {n} تقييمات بقيمة {far} (على الأقل {min_far}).",
     "AM3: {n} bedömningar är {far}. Det räcker med {min_far}."},
    {Sentence::kAm3SumAndFarRatings, "AM3: S = {s} ≥ {am3} och {n} skattningar {far} (minst {min_far}).",
     "AM3: S = {s} ≥ {am3} and {n} ratings of {far} (at least {min_far}).",
     "AM3: S = {s} ≥ {am3} ja {n} arviota {far} (vähintään {min_far}).",
     "AM3: S = {s} ≥ {am3} و{n} تقييمات بقيمة {far} (على الأقل {min_far}).",
     "AM3: summan S = {s} är minst {am3}, och {n} bedömningar är {far}."},
    {Sentence::kNoAmMissingRatings, "Ingen AM-nivå: skattning saknas för {list}.", "No AM level: rating missing for {list}.",
     "Ei AM-tasoa: arvio puuttuu kohdista {list}.", "لا يوجد مستوى AM: التقييم غير موجود لـ {list}.",
     "Ingen AM-nivå: det saknas bedömning för {list}."},
    {Sentence::kNoAmNoWorkCapacity, "Ingen AM-nivå: utan arbetsförmåga just idag (regeluppsättningens val).",
     "No AM level: no work capacity today (utan arbetsförmåga just idag; the rule set's choice).",
     "Ei AM-tasoa: ei työkykyä juuri nyt (sääntökokoelman valinta).",
     "لا يوجد مستوى AM: لا توجد قدرة على العمل اليوم (اختيار مجموعة القواعد).",
     "Ingen AM-nivå: personen kan inte arbeta just nu. Så har reglerna valt."},
    {Sentence::kNoAmWorkCapacityUnclear, "Ingen AM-nivå: arbetsförmågan är oklar (regeluppsättningens val).",
     "No AM level: work capacity is unclear (the rule set's choice).",
     "Ei AM-tasoa: työkyky on epäselvä (sääntökokoelman valinta).",
     "لا يوجد مستوى AM: القدرة على العمل غير واضحة (اختيار مجموعة القواعد).",
     "Ingen AM-nivå: det är oklart om personen kan arbeta. Så har reglerna valt."},
    {Sentence::kNoAmWorkCapacityUnanswered,
     "Ingen AM-nivå: arbetsförmåga just idag är inte besvarad (regeluppsättningens val).",
     "No AM level: work capacity today is not answered (the rule set's choice).",
     "Ei AM-tasoa: kysymykseen työkyvystä juuri nyt ei ole vastattu (sääntökokoelman valinta).",
     "لا يوجد مستوى AM: لم تتم الإجابة عن القدرة على العمل اليوم (اختيار مجموعة القواعد).",
     "Ingen AM-nivå: frågan om personen kan arbeta just nu har inget svar. Så har reglerna valt."},
    {Sentence::kNoAmModule,
     "Ingen AM-nivå: utan de sex AM-skattningarna kan ingen AM-nivå föreslås (kommunens profil använder inte AM-verktyget).",
     "No AM level: no AM level can be suggested without the six AM ratings (the municipality's profile does not use the "
     "AM tool).",
     "Ei AM-tasoa: ilman kuutta AM-arviota AM-tasoa ei voi ehdottaa (kunnan profiili ei käytä AM-työkalua).",
     "لا يوجد مستوى AM: لا يمكن اقتراح مستوى AM دون تقييمات AM الستة (ملف البلدية لا يستخدم أداة AM).",
     "Ingen AM-nivå: kommunen använder inte de sex AM-bedömningarna. Utan dem kan reglerna inte föreslå en AM-nivå."},
    {Sentence::kWorkCapacity, "Arbetsförmåga just idag: {code} ({item}).", "Work capacity today: {code} ({item}).",
     "Työkyky juuri nyt: {code} ({item}).", "القدرة على العمل اليوم: {code} ({item}).",
     "Kan personen arbeta just nu: {code} ({item})."},
    {Sentence::kTriggerYes, "{kind}: \"{label}\" ({item}) besvarades ja.", "{kind}: \"{label}\" ({item}) was answered yes.",
     "{kind}: \"{label}\" ({item}) vastattiin kyllä.", "{kind}: أُجيب بنعم عن \"{label}\" ({item}).",
     "{kind}: svaret var ja på \"{label}\" ({item})."},
    {Sentence::kNoRh, "Inget RH-behov angivet.", "No RH kind indicated.", "RH-tarvetta ei ole ilmoitettu.",
     "لم تُحدَّد حاجة RH.", "Inget behov av RH."},
    {Sentence::kFurtherMissingRatings, "Vidare utredning: AM-skattningar saknas.",
     "Vidare utredning (further investigation): AM ratings are missing.",
     "Vidare utredning (lisäselvitys): AM-arvioita puuttuu.",
     "Vidare utredning (مزيد من التحقيق): تقييمات AM غير موجودة.", "Vidare utredning: det saknas AM-bedömningar."},
    {Sentence::kFurtherWorkCapacityUnclear, "Vidare utredning: arbetsförmågan är oklar.",
     "Vidare utredning (further investigation): work capacity is unclear.",
     "Vidare utredning (lisäselvitys): työkyky on epäselvä.",
     "Vidare utredning (مزيد من التحقيق): القدرة على العمل غير واضحة.",
     "Vidare utredning: det är oklart om personen kan arbeta."},
    {Sentence::kFurtherWorkCapacityMissing, "Vidare utredning: arbetsförmåga just idag är inte besvarad.",
     "Vidare utredning (further investigation): work capacity today is not answered.",
     "Vidare utredning (lisäselvitys): kysymykseen työkyvystä juuri nyt ei ole vastattu.",
     "Vidare utredning (مزيد من التحقيق): لم تتم الإجابة عن القدرة على العمل اليوم.",
     "Vidare utredning: frågan om personen kan arbeta just nu har inget svar."},
    {Sentence::kFurtherReducedWithoutCause, "Vidare utredning: arbetsförmågan är {code} utan identifierad orsak (inget RH-behov).",
     "Vidare utredning (further investigation): work capacity is {code} without an identified cause (no RH kind).",
     "Vidare utredning (lisäselvitys): työkyky on {code} ilman tunnistettua syytä (ei RH-tarvetta).",
     "Vidare utredning (مزيد من التحقيق): القدرة على العمل {code} دون سبب محدد (لا حاجة RH).",
     "Vidare utredning: arbetsförmågan är {code}, men orsaken är inte känd (inget RH-behov)."},
    {Sentence::kOfferInDepth,
     "Erbjud fördjupad bedömning (DUR/ASI): bistånd i följd i {months} hela månader och pågår, alltså mer än {more_than} "
     "månader.",
     "Offer an in-depth assessment (DUR/ASI): {months} whole months of assistance in a row and continuing, so more than "
     "{more_than} months.",
     "Tarjoa syventävää arviointia (DUR/ASI): toimeentulotukea {months} kokonaista kuukautta peräkkäin ja jatkuu, siis yli "
     "{more_than} kuukautta.",
     "اعرض تقييمًا معمقًا (DUR/ASI): {months} أشهر كاملة من المساعدة المتتالية ولا تزال مستمرة، أي أكثر من {more_than} "
     "أشهر.",
     "Erbjud en fördjupad bedömning (DUR/ASI): personen har fått bistånd i {months} hela månader i rad. Det är mer än "
     "{more_than} månader."},
    {Sentence::kOfferInDepthRestricted,
     "Erbjud fördjupad bedömning (DUR/ASI): bistånd i följd i {months} hela månader och pågår, alltså mer än {more_than} "
     "månader, och AM3 eller RH-behov (profilens villkor).",
     "Offer an in-depth assessment (DUR/ASI): {months} whole months of assistance in a row and continuing, so more than "
     "{more_than} months, and AM3 or an RH kind (the profile's condition).",
     "Tarjoa syventävää arviointia (DUR/ASI): toimeentulotukea {months} kokonaista kuukautta peräkkäin ja jatkuu, siis yli "
     "{more_than} kuukautta, ja AM3 tai RH-tarve (profiilin ehto).",
     "اعرض تقييمًا معمقًا (DUR/ASI): {months} أشهر كاملة من المساعدة المتتالية ولا تزال مستمرة، أي أكثر من {more_than} "
     "أشهر، وAM3 أو حاجة RH (شرط الملف).",
     "Erbjud en fördjupad bedömning (DUR/ASI): personen har fått bistånd i {months} hela månader i rad. Det är mer än "
     "{more_than} månader. Personen har AM3 eller RH-behov (ett villkor i kommunens profil)."},
    {Sentence::kRuleSet,
     "Regeluppsättning {id} version {version}. Detta är ett förslag; handläggarens eller klientens bedömning avgör.",
     "Rule set {id} version {version}. This is a suggestion; the caseworker's or the client's assessment decides.",
     "Sääntökokoelma {id} versio {version}. Tämä on ehdotus; käsittelijän tai asiakkaan arvio ratkaisee.",
     "مجموعة القواعد {id} الإصدار {version}. هذا اقتراح؛ تقييم موظف الحالة أو العميل هو الذي يقرر.",
     "Regler: {id}, version {version}. Det här är bara ett förslag. Handläggaren eller klienten bestämmer."},
    {Sentence::kPolicyClient, "klientens självskattning gäller", "the client's self-assessment governs",
     "asiakkaan oma arvio ratkaisee", "التقييم الذاتي للعميل هو المعتمد", "klientens egen bedömning gäller"},
    {Sentence::kPolicyCaseworker, "handläggarens bedömning gäller", "the caseworker's assessment governs",
     "käsittelijän arvio ratkaisee", "تقييم موظف الحالة هو المعتمد", "handläggarens bedömning gäller"},
    {Sentence::kViewClient, "klientens självskattning", "the client's self-assessment", "asiakkaan oma arvio",
     "التقييم الذاتي للعميل", "klientens egen bedömning"},
    {Sentence::kViewCaseworker, "handläggarens bedömning", "the caseworker's assessment", "käsittelijän arvio",
     "تقييم موظف الحالة", "handläggarens bedömning"},
    {Sentence::kEffective, "Gällande: {category} – enligt profilen {policy}.",
     "Effective: {category} — by the profile, {policy}.", "Voimassa: {category} — profiilin mukaan {policy}.",
     "الساري: {category} — وفق الملف، {policy}.", "Det här gäller: {category}. Kommunens regel: {policy}."},
    {Sentence::kEffectiveFallback,
     "Gällande (reserv enligt regeluppsättningen): {category} – {second}, eftersom {first} saknas och profilen säger att "
     "{policy}.",
     "Effective (the rule set's fallback): {category} — {second}, because {first} is missing and by the profile {policy}.",
     "Voimassa (sääntökokoelman varavaihtoehto): {category} — {second}, koska {first} puuttuu ja profiilin mukaan {policy}.",
     "الساري (البديل وفق مجموعة القواعد): {category} — {second}، لأن {first} غير موجود ووفق الملف {policy}.",
     "Det här gäller tills vidare: {category}. Det är {second}, eftersom {first} saknas. Kommunens regel: {policy}."},
    {Sentence::kNoEffectiveNoFallback,
     "Ingen gällande kategori: {first} saknas och regeluppsättningen har ingen reserv; {second} är antecknad men gäller inte.",
     "No effective category: {first} is missing and the rule set has no fallback; {second} is recorded but not effective.",
     "Ei voimassa olevaa luokkaa: {first} puuttuu eikä sääntökokoelmassa ole varavaihtoehtoa; {second} on kirjattu, mutta "
     "se ei ole voimassa.",
     "لا توجد فئة سارية: {first} غير موجود وليس لمجموعة القواعد بديل؛ {second} مسجَّل لكنه غير ساري.",
     "Ingen kategori gäller än: {first} saknas. {second} finns, men den gäller inte."},
    {Sentence::kNoEffectiveNoAssessment,
     "Ingen gällande kategori: ingen person har gjort en bedömning (förslaget gäller aldrig ensamt).",
     "No effective category: no person has assessed yet (the suggestion is never effective on its own).",
     "Ei voimassa olevaa luokkaa: kukaan ei ole vielä arvioinut (ehdotus ei koskaan ole voimassa yksinään).",
     "لا توجد فئة سارية: لم يُجرِ أي شخص تقييمًا بعد (الاقتراح لا يسري وحده أبدًا).",
     "Ingen kategori gäller än: ingen har gjort en bedömning. Förslaget räcker inte ensamt."},
    {Sentence::kDifference, "Skillnad att samtala om: handläggaren {caseworker}, klienten {client}.",
     "Difference to discuss: caseworker {caseworker}, client {client}.",
     "Keskusteltava ero: käsittelijä {caseworker}, asiakas {client}.", "فرق يجب مناقشته: موظف الحالة {caseworker}، العميل {client}.",
     "Ni tycker olika. Prata om det: handläggaren {caseworker}, klienten {client}."},
    {Sentence::kSuggestionWas, "Förslaget var {category}; personernas bedömning avgör.",
     "The suggestion was {category}; the people's assessment decides.", "Ehdotus oli {category}; ihmisten arvio ratkaisee.",
     "كان الاقتراح {category}؛ تقييم الأشخاص هو الذي يقرر.", "Förslaget var {category}. Det är människorna som bestämmer."},
};

const std::vector<LocalizedText>& Table() {
  static const std::vector<LocalizedText> table = [] {
    std::vector<LocalizedText> out;
    for (const Row& row : kRows) {
      out.push_back({row.sv, row.en, {{kFinnish, row.fi}, {kArabic, row.ar}, {kEasySwedish, row.easy}}});
    }
    return out;
  }();
  return table;
}

}  // namespace

const LocalizedText& SentenceText(Sentence sentence) {
  const auto it = std::find_if(std::begin(kRows), std::end(kRows), [&](const Row& r) { return r.sentence == sentence; });
  return Table()[static_cast<size_t>(it - std::begin(kRows))];
}

std::vector<LocalizedText> AllSentences() { return Table(); }

const std::vector<std::string>& ExplanationLanguages() {
  static const std::vector<std::string> languages = {"sv", "en", kFinnish, kArabic, kEasySwedish};
  return languages;
}

const std::vector<LanguageNote>& ExplanationLanguageNotes() {
  static const std::vector<LanguageNote> notes = {
      {kFinnish, true, "Selitysten edustava käännös, joka on kirjoitettu tätä projektia varten."},
      {kArabic, true, "ترجمة تمثيلية للتفسيرات كُتبت لهذا المشروع."},
      {kEasySwedish, true, "En lättläst version av förklaringarna som vi har skrivit."},
  };
  return notes;
}

std::string ExplanationLanguageFor(const LanguageTag& reader) { return FirstAvailable(reader, ExplanationLanguages()); }

LocalizedText ForReader(const LocalizedText& text, const LanguageTag& reader) {
  LocalizedText out{text.sv, text.en, {}};
  std::string used;
  const std::string& chosen = TextIn(text, reader, &used);
  if (used != "sv" && used != "en") out.translations.push_back({used, chosen});
  return out;
}

}  // namespace ix::core
