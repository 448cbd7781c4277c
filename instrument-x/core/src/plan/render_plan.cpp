#include <ix/core/plan/render_plan.hpp>

#include <ix/core/forms/print_page.hpp>
#include <ix/core/forms/render_html.hpp>
#include <ix/core/language.hpp>
#include <ix/core/personnummer.hpp>

#include <algorithm>
#include <array>

namespace ix::core {
namespace {

constexpr std::array<const char*, 7> kNeedCodes = {"AM1", "AM2", "AM3", "R1", "R2", "R3", "further_investigation"};

// The words of the client's pages, per language of kPrintLanguages. Plain language: short
// sentences, "you", no abbreviations the client has not been told.
struct PlanWords {
  const char* lang;
  const char* plan_title;
  const char* plan_intro;
  const char* established;
  const char* goals;
  const char* goals_intro;
  const char* no_goals;
  const char* steps;
  const char* no_steps;
  const char* purpose;
  const char* for_goal;
  const char* provider;
  const char* when;
  const char* until_further;  // no end date yet
  const char* next_follow_up;
  const char* follow_up_text;
  const char* questions;
  const char* questions_label;
  const char* date_name;
  const char* catalogue_title;
  const char* catalogue_intro;
  const char* serves;
  std::array<const char*, 3> orientations;  // work, rehabilitative, studies
  std::array<const char*, 7> needs;         // in the order of kNeedCodes
  std::array<const char*, 12> months;
  const char* date_pattern;                 // "{d} {m} {y}"
  const char* representative;
  const char* fallback;
};

constexpr PlanWords kSv = {
    "sv", "Min plan", "Det här är din plan. Den visar vad du vill uppnå och vad som ska hända för att du ska nå dit.",
    "Planen gjordes", "Dina mål", "Så här beskrev du dina mål, med dina egna ord.", "Planen har inga mål ännu.",
    "Det här ska hända", "Inget är planerat ännu.", "Vad det är och varför", "Det hjälper dig med målet",
    "Vem ordnar det", "När", "tills vidare", "Nästa uppföljning",
    "Då träffas du och din handläggare och pratar om hur det går. Planen kan ändras om du vill.",
    "Dina frågor och tankar", "Skriv här om du har frågor eller vill ändra något i planen", "Datum och namn",
    "Insatser – vad kan du få hjälp med?", "Här är det stöd som finns. Du och din handläggare väljer tillsammans vad som passar dig.",
    "Passar när", {"Arbete", "Hälsa och rehabilitering", "Studier"},
    {"Du står nära arbetsmarknaden och kan börja söka jobb nu.",
     "Du behöver stöd en kortare tid för att komma till arbete eller studier.",
     "Du behöver stöd en längre tid, ofta från flera håll.",
     "Din kropp eller en sjukdom gör det svårt att arbeta.",
     "Hur du mår psykiskt gör det svårt att arbeta.",
     "Alkohol, droger eller spel gör det svårt att arbeta.",
     "Vi behöver ta reda på mer tillsammans innan vi vet vad som hjälper."},
    {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
    "{d} {m} {y}", "Representativ text, inte det licensierade instrumentet.", ""};

constexpr PlanWords kEn = {
    "en", "My plan", "This is your plan. It shows what you want to achieve and what will happen to get you there.",
    "The plan was made on", "Your goals", "This is how you described your goals, in your own words.",
    "The plan has no goals yet.", "What will happen", "Nothing is planned yet.", "What it is and why",
    "It helps you with the goal", "Who arranges it", "When", "until further notice", "Next follow-up",
    "Then you and your caseworker meet and talk about how it is going. The plan can change if you want.",
    "Your questions and thoughts", "Write here if you have questions or want to change something in the plan",
    "Date and name", "Interventions – what can you get help with?",
    "This is the support there is. You and your caseworker choose together what suits you.", "Suits you when",
    {"Work", "Health and rehabilitation", "Studies"},
    {"You are close to working and can start looking for a job now.",
     "You need support for a shorter time to get to work or studies.",
     "You need support for a longer time, often from several places.",
     "Your body or an illness makes it hard to work.",
     "How you feel mentally makes it hard to work.",
     "Alcohol, drugs or gambling make it hard to work.",
     "We need to find out more together before we know what helps."},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
    "{d} {m} {y}", "A representative text, not the licensed instrument.", ""};

constexpr PlanWords kFi = {
    "fi", "Oma suunnitelmani", "Tämä on sinun suunnitelmasi. Siinä kerrotaan, mitä haluat saavuttaa ja mitä tapahtuu, jotta pääset siihen.",
    "Suunnitelma tehtiin", "Tavoitteesi", "Näin kuvasit tavoitteesi omin sanoin.", "Suunnitelmassa ei ole vielä tavoitteita.",
    "Mitä tapahtuu", "Mitään ei ole vielä suunniteltu.", "Mitä se on ja miksi", "Se auttaa sinua tavoitteessa",
    "Kuka järjestää", "Milloin", "toistaiseksi", "Seuraava seuranta",
    "Silloin tapaat käsittelijäsi ja puhutte siitä, miten menee. Suunnitelmaa voi muuttaa, jos haluat.",
    "Kysymyksesi ja ajatuksesi", "Kirjoita tähän, jos sinulla on kysymyksiä tai haluat muuttaa jotain suunnitelmassa",
    "Päivämäärä ja nimi", "Palvelut – mihin voit saada apua?",
    "Tässä on tarjolla oleva tuki. Sinä ja käsittelijäsi valitsette yhdessä, mikä sopii sinulle.", "Sopii, kun",
    {"Työ", "Terveys ja kuntoutus", "Opiskelu"},
    {"Olet lähellä työelämää ja voit alkaa hakea töitä nyt.",
     "Tarvitset tukea lyhyen aikaa päästäksesi töihin tai opiskelemaan.",
     "Tarvitset tukea pidemmän aikaa, usein monelta taholta.",
     "Kehosi tai sairaus vaikeuttaa työntekoa.",
     "Psyykkinen vointisi vaikeuttaa työntekoa.",
     "Alkoholi, huumeet tai rahapelit vaikeuttavat työntekoa.",
     "Meidän pitää selvittää yhdessä lisää ennen kuin tiedämme, mikä auttaa."},
    {"tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta", "heinäkuuta", "elokuuta",
     "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"},
    "{d}. {m} {y}", "Edustava käännös, ei lisensoitu instrumentti.",
    "Tällä kielellä puuttuvat tekstit näytetään ruotsiksi."};

constexpr PlanWords kAr = {
    "ar", "خطتي", "هذه خطتك. تبيّن ما تريد تحقيقه وما سيحدث لتصل إليه.",
    "أُعدّت الخطة في", "أهدافك", "هكذا وصفت أهدافك بكلماتك الخاصة.", "لا توجد أهداف في الخطة بعد.",
    "ما الذي سيحدث", "لم يُخطَّط لشيء بعد.", "ما هو ولماذا", "يساعدك في الهدف",
    "من يرتّب ذلك", "متى", "حتى إشعار آخر", "المتابعة القادمة",
    "عندها تلتقي بالموظف المسؤول عنك وتتحدثان عن سير الأمور. يمكن تغيير الخطة إذا أردت.",
    "أسئلتك وأفكارك", "اكتب هنا إذا كانت لديك أسئلة أو أردت تغيير شيء في الخطة", "التاريخ والاسم",
    "الخدمات – في ماذا يمكنك الحصول على المساعدة؟",
    "هذا هو الدعم المتوفر. تختار أنت والموظف المسؤول معًا ما يناسبك.", "يناسبك عندما",
    {"العمل", "الصحة وإعادة التأهيل", "الدراسة"},
    {"أنت قريب من سوق العمل ويمكنك البدء في البحث عن عمل الآن.",
     "تحتاج إلى دعم لفترة قصيرة للوصول إلى العمل أو الدراسة.",
     "تحتاج إلى دعم لفترة أطول، غالبًا من عدة جهات.",
     "جسدك أو مرض ما يجعل العمل صعبًا.",
     "حالتك النفسية تجعل العمل صعبًا.",
     "الكحول أو المخدرات أو القمار تجعل العمل صعبًا.",
     "نحتاج إلى معرفة المزيد معًا قبل أن نعرف ما الذي يساعد."},
    {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
    "{d} {m} {y}", "ترجمة تمثيلية، وليست الأداة المرخَّصة.", "النصوص غير المتوفرة بهذه اللغة تظهر بالسويدية."};

// Lättläst (easy-read Swedish): one thing per sentence, everyday words.
constexpr PlanWords kSvEasy = {
    "sv-x-easy", "Min plan", "Det här är din plan. Här står vad du vill. Här står vad som ska hända.",
    "Vi gjorde planen", "Det här vill du", "Så här sa du. Det är dina egna ord.", "Det finns inga mål än.",
    "Det här ska hända", "Inget är bestämt än.", "Vad är det? Varför?", "Det hjälper dig med",
    "Vem hjälper dig?", "När?", "så länge du behöver", "Nästa gång vi ses",
    "Då pratar du och din handläggare om hur det går. Du kan ändra planen.",
    "Dina frågor", "Skriv här om du undrar något eller vill ändra något", "Datum och namn",
    "Det här kan du få hjälp med", "Här är hjälpen som finns. Du och din handläggare väljer det som passar dig.",
    "Passar om", {"Jobb", "Må bättre", "Plugga"},
    {"Du kan börja söka jobb nu.",
     "Du behöver lite hjälp en kort tid. Sedan kan du jobba eller plugga.",
     "Du behöver hjälp länge. Ofta från flera ställen.",
     "Din kropp gör det svårt att jobba.",
     "Hur du mår inuti gör det svårt att jobba.",
     "Alkohol, droger eller spel gör det svårt att jobba.",
     "Vi behöver veta mer innan vi vet vad som hjälper dig."},
    {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
    "{d} {m} {y}", "En text som visar hur det kan se ut. Det är inte det riktiga instrumentet.",
    "Text som saknas på lättläst svenska står på vanlig svenska."};

constexpr std::array<const PlanWords*, 5> kTables = {&kSv, &kEn, &kFi, &kAr, &kSvEasy};

const PlanWords& WordsFor(const LanguageTag& page) {
  for (const PlanWords* w : kTables) {
    if (page.tag == w->lang) return *w;
  }
  return kSv;
}

constexpr const char* kStyle = R"css(
.goals { list-style: none; padding: 0; }
.goal { border: 2px solid var(--accent); border-radius: 6px; padding: 0.8rem 1rem; margin: 0.8rem 0; font-size: 1.15rem; }
.goal ul { font-size: 1rem; }
.step, .kind { border: 1px solid var(--line); border-radius: 4px; padding: 0.6rem 1rem; margin: 1rem 0;
               break-inside: avoid; page-break-inside: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
.follow-up, .own { margin-top: 2rem; }
)css";

std::string E(std::string_view text) { return forms::EscapeHtml(text); }

std::string HumanDate(const Date& date, const PlanWords& w) {
  std::string out = w.date_pattern;
  const auto put = [&out](std::string_view key, const std::string& value) {
    if (const size_t at = out.find(key); at != std::string::npos) out.replace(at, key.size(), value);
  };
  put("{d}", std::to_string(date.day));
  put("{m}", date.month >= 1 && date.month <= 12 ? w.months[static_cast<size_t>(date.month - 1)] : "");
  put("{y}", std::to_string(date.year));
  return out;
}

// The shared head and header of a client page.
std::string Open(const forms::PageLanguage& page, const PlanWords& w, const std::string& title,
                 const ClientPageOptions& o, const std::vector<LanguageNote>& notes) {
  std::string out = "<!DOCTYPE html>\n" + page.HtmlOpen() + "\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + E(title) + (o.municipality.empty() ? "" : " – " + E(o.municipality)) + "</title>\n";
  out += "<style>" + std::string(forms::BasePrintStyle()) + kStyle + "</style>\n</head>\n<body>\n<header>\n";
  if (!o.municipality.empty()) out += "<p class=\"municipality\">" + E(o.municipality) + "</p>\n";
  out += "<h1>" + E(title) + "</h1>\n";
  out += page.TranslationNotices(notes, w.representative, w.fallback);
  return out;
}

const char* NeedText(const std::string& code, const PlanWords& w) {
  for (size_t i = 0; i < kNeedCodes.size(); ++i) {
    if (code == kNeedCodes[i]) return w.needs[i];
  }
  return nullptr;
}

}  // namespace

bool IsNeedCode(const std::string& code) {
  return std::find(kNeedCodes.begin(), kNeedCodes.end(), code) != kNeedCodes.end();
}

std::string RenderClientPlanHtml(const Plan& plan, const InterventionCatalogue& catalogue, const ClientPageOptions& o) {
  const forms::PageLanguage page = forms::PageLanguage::For(o.language);
  const PlanWords& w = WordsFor(page.page);
  const auto mine = [&o](const std::string& person_ref) { return o.person_ref.empty() || person_ref == o.person_ref; };
  std::string out = Open(page, w, w.plan_title, o, catalogue.language_notes);
  out += "<p class=\"intro\">" + E(w.plan_intro) + "</p>\n";
  if (plan.established_on) out += "<p>" + E(w.established) + " " + E(HumanDate(*plan.established_on, w)) + ".</p>\n";
  out += "</header>\n<main>\n";

  // The client's own goals first, as they wrote them (never translated: they are the client's
  // words, in the client's language already).
  out += "<section aria-labelledby=\"goals\">\n<h2 id=\"goals\">" + E(w.goals) + "</h2>\n<p>" + E(w.goals_intro) + "</p>\n";
  std::string goals;
  for (const Goal& g : plan.goals) {
    if (!mine(g.person_ref)) continue;
    goals += "<li class=\"goal\"><p dir=\"auto\">" + E(g.text) + "</p>";
    if (!g.sub_goals.empty()) {
      goals += "<ul>";
      for (const SubGoal& s : g.sub_goals) goals += "<li dir=\"auto\">" + E(s.text) + "</li>";
      goals += "</ul>";
    }
    goals += "</li>\n";
  }
  out += goals.empty() ? "<p>" + E(w.no_goals) + "</p>\n" : "<ul class=\"goals\">\n" + goals + "</ul>\n";
  out += "</section>\n";

  out += "<section aria-labelledby=\"steps\">\n<h2 id=\"steps\">" + E(w.steps) + "</h2>\n";
  bool any = false;
  int n = 0;
  for (const PlannedIntervention& in : plan.interventions) {
    if (!mine(in.person_ref)) continue;
    any = true;
    const InterventionKind* kind = catalogue.FindKind(in.kind);
    const ActorDef* actor = catalogue.FindActor(in.responsible_actor.empty() && kind ? kind->default_actor : in.responsible_actor);
    const std::string id = "step-" + std::to_string(++n);
    out += "<section class=\"step\" aria-labelledby=\"" + id + "\">\n<h3 id=\"" + id + "\">" +
           (kind ? page.Marked(kind->label) : E(in.kind)) + "</h3>\n<dl>\n";
    if (kind && !TextIn(kind->description, page.requested).empty()) {
      out += "<dt>" + E(w.purpose) + "</dt><dd>" + page.Marked(kind->description) + "</dd>\n";
    }
    for (const Goal& g : plan.goals) {
      if (!in.goal_id.empty() && g.goal_id == in.goal_id) out += "<dt>" + E(w.for_goal) + "</dt><dd dir=\"auto\">" + E(g.text) + "</dd>\n";
    }
    if (actor) out += "<dt>" + E(w.provider) + "</dt><dd>" + page.Marked(actor->label) + "</dd>\n";
    std::string when;
    if (in.start_date) when = HumanDate(*in.start_date, w) + " – " + (in.end_date ? HumanDate(*in.end_date, w) : std::string(w.until_further));
    if (!when.empty()) out += "<dt>" + E(w.when) + "</dt><dd>" + E(when) + "</dd>\n";
    out += "</dl>\n</section>\n";
  }
  if (!any) out += "<p>" + E(w.no_steps) + "</p>\n";
  out += "</section>\n";

  if (plan.next_follow_up_on) {
    out += "<section class=\"follow-up\" aria-labelledby=\"follow-up\">\n<h2 id=\"follow-up\">" + E(w.next_follow_up) + "</h2>\n";
    out += "<p><strong>" + E(HumanDate(*plan.next_follow_up_on, w)) + "</strong></p>\n<p>" + E(w.follow_up_text) + "</p>\n</section>\n";
  }
  out += "<section class=\"own\" aria-labelledby=\"own\">\n<h2 id=\"own\">" + E(w.questions) + "</h2>\n";
  out += "<p><label class=\"label\" for=\"questions\">" + E(w.questions_label) + "</label><textarea id=\"questions\" name=\"questions\" rows=\"4\"></textarea></p>\n";
  out += "<p><label class=\"label\" for=\"date-name\">" + E(w.date_name) + "</label><input type=\"text\" id=\"date-name\" name=\"date-name\"></p>\n";
  out += "</section>\n</main>\n</body>\n</html>\n";
  return out;
}

std::string RenderInterventionCatalogueHtml(const InterventionCatalogue& catalogue, const ClientPageOptions& o) {
  const forms::PageLanguage page = forms::PageLanguage::For(o.language);
  const PlanWords& w = WordsFor(page.page);
  std::string out = Open(page, w, w.catalogue_title, o, catalogue.language_notes);
  out += "<p class=\"intro\">" + E(w.catalogue_intro) + "</p>\n</header>\n<main>\n";
  constexpr std::array<InterventionOrientation, 3> kOrder = {InterventionOrientation::kWork, InterventionOrientation::kRehabilitative,
                                                           InterventionOrientation::kStudies};
  for (size_t g = 0; g < kOrder.size(); ++g) {
    const std::string group_id = "orientation-" + std::to_string(g + 1);
    std::string kinds;
    for (const InterventionKind& k : catalogue.kinds) {
      if (k.orientation != kOrder[g]) continue;
      const std::string id = "kind-" + k.code;
      kinds += "<section class=\"kind\" aria-labelledby=\"" + E(id) + "\">\n<h3 id=\"" + E(id) + "\">" + page.Marked(k.label) + "</h3>\n";
      if (!TextIn(k.description, page.requested).empty()) kinds += "<p>" + page.Marked(k.description) + "</p>\n";
      kinds += "<dl>\n";
      if (!k.serves.empty()) {
        kinds += "<dt>" + E(w.serves) + "</dt><dd><ul>";
        for (const std::string& need : k.serves) {
          if (const char* text = NeedText(need, w)) kinds += "<li>" + E(text) + "</li>";
        }
        kinds += "</ul></dd>\n";
      }
      if (const ActorDef* actor = catalogue.FindActor(k.default_actor)) {
        kinds += "<dt>" + E(w.provider) + "</dt><dd>" + page.Marked(actor->label) + "</dd>\n";
      }
      kinds += "</dl>\n</section>\n";
    }
    if (kinds.empty()) continue;
    out += "<section aria-labelledby=\"" + group_id + "\">\n<h2 id=\"" + group_id + "\">" + E(w.orientations[g]) + "</h2>\n" + kinds + "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::vector<Problem> CheckInterventionCatalogue(const InterventionCatalogue& catalogue) {
  std::vector<Problem> out;
  const Limits& limits = DefaultLimits();
  CheckLanguageListLimits(catalogue.languages, "languages", limits, out);
  const auto each_text = [&](const auto& visit) {
    for (size_t i = 0; i < catalogue.kinds.size(); ++i) {
      const std::string path = "kinds[" + std::to_string(i) + "]";
      visit(path + ".label", catalogue.kinds[i].label);
      visit(path + ".description", catalogue.kinds[i].description);
    }
    for (size_t i = 0; i < catalogue.actors.size(); ++i) visit("actors[" + std::to_string(i) + "].label", catalogue.actors[i].label);
  };
  each_text([&](const std::string& path, const LocalizedText& text) { CheckTextLimits(text, path, limits, out); });
  if (!out.empty()) return out;
  std::vector<std::string> languages = {"sv", "en"};
  for (const std::string& l : catalogue.languages) {
    if (const auto tag = ParseLanguageTag(l)) languages.push_back(tag->tag);
  }
  CheckLanguageList(catalogue.languages, catalogue.language_notes, false, "languages", out);
  each_text([&](const std::string& path, const LocalizedText& text) { CheckText(text, languages, path, out); });
  for (size_t i = 0; i < catalogue.kinds.size(); ++i) {
    const InterventionKind& k = catalogue.kinds[i];
    for (size_t j = 0; j < k.serves.size(); ++j) {
      if (!IsNeedCode(k.serves[j])) {
        out.push_back(FieldProblem("kinds[" + std::to_string(i) + "].serves[" + std::to_string(j) + "]", "invalid_catalogue",
                                   {"'" + k.serves[j] + "' är inget behov (AM1–AM3, R1–R3, further_investigation)",
                                    "'" + k.serves[j] + "' is not a need (AM1–AM3, R1–R3, further_investigation)"}));
      }
    }
    if (!k.default_actor.empty() && catalogue.FindActor(k.default_actor) == nullptr) {
      out.push_back(FieldProblem("kinds[" + std::to_string(i) + "].default_actor", "invalid_catalogue",
                                 {"'" + k.default_actor + "' är ingen aktör i katalogen", "'" + k.default_actor + "' is not an actor of the catalogue"}));
    }
  }
  return out;
}

}  // namespace ix::core
