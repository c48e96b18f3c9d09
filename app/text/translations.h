#pragma once

class QCoreApplication;

namespace Translations {

// Installs the texts built from resources/translations/ (today the English plural forms, so
// "%n process(es)" reads "1 process" and "2 processes"); a translator for the user's language
// goes before it once one exists. Call once, after the application object is made.
void install(QCoreApplication &app);

} // namespace Translations
