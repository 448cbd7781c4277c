// A licensee definition (serialized ix.v1.Definition, as LoadDefinition and the `source` of
// every forms call take it): loaded, then used as it would be next — validating the example
// household's response against it, migrating that response to it, printing its form.
#include "../fuzz_support.hpp"

#include "ix/v1/forms.pb.h"
#include "ix/v1/plugin.pb.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)ix::fuzz::Forms();
  (void)ix::fuzz::ExampleHousehold();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace v1 = ix::v1;
  const ix_forms_v1& forms = ix::fuzz::Forms();
  const std::string_view bytes = ix::fuzz::Bytes(data, size);

  v1::LoadDefinitionRequest load;
  load.set_definition(std::string(bytes));
  (void)ix::fuzz::Call(forms.load_definition, load.SerializeAsString());

  v1::Definition definition;
  if (!definition.ParseFromArray(data, static_cast<int>(size))) return 0;

  v1::ValidateWithDefinitionRequest validate;
  *validate.mutable_response() = ix::fuzz::ExampleHousehold();
  validate.mutable_response()->mutable_instrument()->set_instrument_id(definition.id());
  validate.mutable_response()->mutable_instrument()->set_version(definition.version());
  validate.set_as_of_date("2025-06-01");
  *validate.mutable_source()->mutable_definition() = definition;
  (void)ix::fuzz::Call(forms.validate, validate.SerializeAsString());

  v1::MigrateRequest migrate;
  *migrate.mutable_response() = ix::fuzz::ExampleHousehold();
  migrate.set_to_version(definition.version());
  migrate.set_as_of_date("2025-06-01");
  *migrate.mutable_source()->mutable_definition() = definition;
  (void)ix::fuzz::Call(forms.migrate, migrate.SerializeAsString());

  v1::RenderFormRequest render;
  render.mutable_definition()->set_instrument_id(definition.id());
  render.mutable_definition()->set_version(definition.version());
  render.set_language("en");
  *render.mutable_source()->mutable_definition() = definition;
  (void)ix::fuzz::Call(forms.render_form, render.SerializeAsString());
  return 0;
}
