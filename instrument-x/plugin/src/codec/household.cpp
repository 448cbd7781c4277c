// household.proto: the household and its persons.
#include "codec/codec.hpp"
#include "codec/enum_table.hpp"

namespace ix::plugin {
namespace {

const codec::EnumTable<core::Sex, v1::Sex> kSex{core::Sex::kUnspecified, v1::SEX_UNSPECIFIED,
                                                {{core::Sex::kFemale, v1::SEX_FEMALE},
                                                 {core::Sex::kMale, v1::SEX_MALE},
                                                 {core::Sex::kOther, v1::SEX_OTHER}}};

const codec::EnumTable<core::HouseholdRole, v1::HouseholdRole> kRole{
    core::HouseholdRole::kUnspecified, v1::HOUSEHOLD_ROLE_UNSPECIFIED,
    {{core::HouseholdRole::kRegisterledare, v1::HOUSEHOLD_ROLE_REGISTERLEDARE},
     {core::HouseholdRole::kMedsokande, v1::HOUSEHOLD_ROLE_MEDSOKANDE},
     {core::HouseholdRole::kOtherAdult, v1::HOUSEHOLD_ROLE_OTHER_ADULT},
     {core::HouseholdRole::kChild, v1::HOUSEHOLD_ROLE_CHILD}}};

}  // namespace

core::Sex FromProto(v1::Sex in) { return kSex.FromWire(in); }

v1::Sex ToProto(core::Sex in) { return kSex.ToWire(in); }

core::Household FromProto(const v1::Household& in) {
  core::Household out;
  out.household_ref = in.household_ref();
  out.municipality_code = in.municipality_code();
  for (const v1::Person& p : in.persons()) {
    out.persons.push_back({p.person_ref(), p.personnummer(), kSex.FromWire(p.sex()), p.birth_date(),
                           kRole.FromWire(p.role()), p.protected_identity()});
  }
  return out;
}

void ToProto(const core::Household& in, v1::Household* out) {
  out->set_household_ref(in.household_ref);
  out->set_municipality_code(in.municipality_code);
  for (const core::Person& p : in.persons) {
    v1::Person* person = out->add_persons();
    person->set_person_ref(p.person_ref);
    person->set_personnummer(p.personnummer);
    person->set_sex(kSex.ToWire(p.sex));
    person->set_birth_date(p.birth_date);
    person->set_role(kRole.ToWire(p.role));
    person->set_protected_identity(p.protected_identity);
  }
}

}  // namespace ix::plugin
