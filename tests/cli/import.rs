//! `import members` (issue 22, part 3): members from a spreadsheet, merged into the site's
//! member files without losing what the sheet does not hold.

use std::path::{Path, PathBuf};

use crate::support::{Run, SiteTest, fixtures, repo, snapshot_tree};

const NOW: &str = "2026-11-27";

fn fixture(name: &str) -> PathBuf {
    fixtures().join("import").join(name)
}

fn example() -> SiteTest {
    SiteTest::from_dir(&repo().join("example-site"))
}

fn import(site: &SiteTest, file: &Path, extra: &[&str]) -> Run {
    let file = file.display().to_string();
    let mut args = vec!["import", "members", file.as_str(), "site", "--now", NOW];
    args.extend(extra);
    site.run(&args)
}

/// The report's lines that start with `prefix`.
fn lines<'a>(run: &'a Run, prefix: &str) -> Vec<&'a str> {
    run.stdout
        .lines()
        .filter(|l| l.starts_with(prefix))
        .collect()
}

fn read(site: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const GERMAN_REJECTIONS: [&str; 5] = [
    "mitglieder.csv:row 4: the name is empty; every member needs its name",
    "mitglieder.csv:row 5: column `E-Mail`: `info(at)badmail.example` is not an e-mail address (write it like `info@acme.example`)",
    "mitglieder.csv:row 6: column `Branche(n)`: `Robotik` is not a sector of the site's vocabulary (did you mean `Automation & robotics`? Or add it to `sectors` in the vocabulary (vocabulary.yaml) if it is a new one)",
    "mitglieder.csv:row 7: column `Mitarbeiter`: `ca. 50` is not a number of employees: write a whole number, e.g. `45`",
    "mitglieder.csv:row 8: member number `1001` is also in row 2; each member once, please",
];

const MUELLER: &str = "---\nname: \"Müller & Söhne: Präzision GmbH\"\ntype: company\nwebsite: https://www.mueller-praezision.example\nemail: info@mueller-praezision.example\nphone: \"+49 7621 1234-0\"\nsectors: [Precision machining, Automation & robotics]\ncapabilities: [CNC turning, 5-axis CNC milling]\nlocation:\n  street: Hauptstraße 5\n  postcode: \"79539\"\n  city: Lörrach\n  country: DE\nemployees: 1200\nfounded: 1987\nmembership:\n  since: 2019\nextra:\n  member_id: \"1001\"\n---\n";

/// The German Excel export: semicolons, a byte-order mark, umlauts, several values in one
/// cell (split on `;` and on line breaks), German headers, and five bad rows.
#[test]
fn a_german_excel_csv_imports_its_good_rows_and_names_each_bad_one() {
    let site = example();
    let run = import(&site, &fixture("mitglieder.csv"), &[]);
    run.failure(1);
    assert_eq!(
        lines(&run, "mitglieder.csv: "),
        ["mitglieder.csv: 8 rows: 2 created, 1 updated, 0 unchanged, 5 rejected"],
        "{}",
        run.stdout
    );
    assert_eq!(lines(&run, "mitglieder.csv:row"), GERMAN_REJECTIONS);
    run.stderr_has(
        "warning: column `Bemerkung` is not imported; map it to a field with --map (docs/import.md)",
    );
    assert_eq!(
        lines(&run, "updated "),
        ["updated schwarzwald-sensorik: row 3: extra.member_id, employees"]
    );
    assert_eq!(
        read(&site, "content/members/mueller-soehne-praezision-gmbh.md"),
        MUELLER
    );
    // The existing member: only its employees changed, and its number was added.
    let before = std::fs::read_to_string(
        repo().join("example-site/content/members/schwarzwald-sensorik.md"),
    )
    .unwrap();
    let after = read(&site, "content/members/schwarzwald-sensorik.md");
    let want = before
        .replace("employees: 310\n", "employees: 320\n")
        .replace(
            "extra:\n  languages: [German, English, French]\n",
            "extra:\n  languages: [German, English, French]\n  member_id: \"1002\"\n",
        );
    assert_eq!(after, want);
    // Not in the sheet: reported, untouched.
    assert!(
        run.stdout
            .contains("not in the sheet: 32 members (left as they are")
    );
    assert!(
        run.stdout
            .contains("\n  baar-formenbau (Baar Werkzeug- und Formenbau GmbH)\n")
    );
    site.check().success();
}

/// Windows-1252 bytes of a text whose characters are all in Latin-1.
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect()
}

#[test]
fn the_same_sheet_in_windows_1252_without_bom_imports_the_same() {
    let utf8 = std::fs::read_to_string(fixture("mitglieder.csv")).unwrap();
    let site = example();
    let file = site.dir.path().join("mitglieder.csv");
    std::fs::write(&file, windows_1252(utf8.trim_start_matches('\u{feff}'))).unwrap();
    let run = import(&site, &file, &[]);
    run.failure(1);
    assert_eq!(
        lines(&run, "mitglieder.csv: "),
        ["mitglieder.csv: 8 rows: 2 created, 1 updated, 0 unchanged, 5 rejected"]
    );
    assert_eq!(lines(&run, "mitglieder.csv:row"), GERMAN_REJECTIONS);
    assert_eq!(
        read(&site, "content/members/mueller-soehne-praezision-gmbh.md"),
        MUELLER
    );
}

#[test]
fn importing_the_same_sheet_twice_changes_nothing_the_second_time() {
    let site = example();
    import(&site, &fixture("mitglieder.csv"), &[]).failure(1);
    let after_first = snapshot_tree(&site.root());
    let run = import(&site, &fixture("mitglieder.csv"), &[]);
    assert_eq!(
        lines(&run, "mitglieder.csv: "),
        ["mitglieder.csv: 8 rows: 0 created, 0 updated, 3 unchanged, 5 rejected"]
    );
    assert!(snapshot_tree(&site.root()) == after_first);
}

#[test]
fn a_dry_run_reports_everything_and_writes_nothing() {
    let site = example();
    let before = snapshot_tree(site.dir.path());
    let run = import(
        &site,
        &fixture("mitglieder.csv"),
        &["--dry-run", "--mark-former"],
    );
    run.failure(1);
    assert_eq!(
        lines(&run, "mitglieder.csv: "),
        ["mitglieder.csv: 8 rows: 2 created, 1 updated, 0 unchanged, 5 rejected"]
    );
    assert!(
        run.stdout.contains("(would be marked former)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("dry run: nothing was written\n"));
    assert!(
        snapshot_tree(site.dir.path()) == before,
        "a dry run wrote files"
    );
}

const COMMENTED: &str = "---\n# Checked by the secretariat, 2026-10\nname: Beta Metal AG   # legal name\ntype: company\nsectors: [Precision machining]\nlocation:\n  city: Basel # head office\n  country: CH\nemployees: 40\nextra:\n  crm: B-17\n---\nBeta Metal **machines** parts.\n\nSecond paragraph.\n";

/// A second import of a changed sheet: only the changed fields move, with their comments.
#[test]
fn a_reimport_updates_only_the_changed_fields_and_keeps_body_comments_and_other_fields() {
    let site = SiteTest::base();
    site.write("content/members/beta-metal.md", COMMENTED);
    let sheet = site.dir.path().join("members.csv");
    std::fs::write(
        &sheet,
        "Name,City,Employees,Website\nBeta Metal AG,Liestal,40,\nAcme Robotics GmbH,Freiburg,120,\n",
    )
    .unwrap();
    let run = import(&site, &sheet, &[]);
    run.success();
    assert_eq!(
        lines(&run, "members.csv: "),
        ["members.csv: 2 rows: 0 created, 1 updated, 1 unchanged, 0 rejected"]
    );
    assert_eq!(
        read(&site, "content/members/beta-metal.md"),
        COMMENTED.replace("city: Basel # head office", "city: Liestal  # head office")
    );
    // Acme is untouched, byte for byte; gamma-institute is reported missing, not changed.
    assert_eq!(
        read(&site, "content/members/acme-robotics.md"),
        std::fs::read_to_string(fixtures().join("base/content/members/acme-robotics.md")).unwrap()
    );
    assert!(
        run.stdout.contains("not in the sheet: 1 member (left as they are; --mark-former marks them former):\n  gamma-institute ("),
        "{}",
        run.stdout
    );
    site.check().success();
}

#[test]
fn mark_former_sets_the_status_of_members_the_sheet_lacks() {
    let site = SiteTest::base();
    let sheet = site.dir.path().join("members.csv");
    std::fs::write(&sheet, "name\nAcme Robotics GmbH\nBeta Metal SAS\n").unwrap();
    let gamma = read(&site, "content/members/gamma-institute.md");
    let run = import(&site, &sheet, &["--mark-former"]);
    run.success();
    assert!(
        run.stdout.contains("(marked former):\n  gamma-institute"),
        "{}",
        run.stdout
    );
    let after = read(&site, "content/members/gamma-institute.md");
    assert_ne!(after, gamma);
    assert!(after.contains("  status: former\n"), "{after}");
    site.check().success();
    site.build().success();
    assert!(!site.output("members.csv").contains("gamma-institute"));
    // Already former: not reported again.
    let again = import(&site, &sheet, &["--mark-former"]);
    assert!(
        !again.stdout.contains("not in the sheet"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_map_file_names_columns_the_headers_do_not() {
    let site = SiteTest::base();
    let sheet = site.dir.path().join("crm.csv");
    std::fs::write(&sheet, "Kunde;Sitz;Notizen;Leute\nNeu AG;Zürich;intern;7\n").unwrap();
    let map = site.dir.path().join("map.yaml");
    std::fs::write(
        &map,
        "Kunde: name\nSitz: location.city\nNotizen: ignore\nLeute: employees\n",
    )
    .unwrap();
    let run = import(&site, &sheet, &["--map", map.to_str().unwrap()]);
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(
        read(&site, "content/members/neu-ag.md"),
        "---\nname: Neu AG\nlocation:\n  city: Zürich\nemployees: 7\n---\n"
    );
    // A bad map: its file and line, the field meant, and nothing written.
    std::fs::write(&map, "Kunde: name\nSitz: location.cty\n").unwrap();
    let before = snapshot_tree(&site.root());
    let run = import(&site, &sheet, &["--map", map.to_str().unwrap()]);
    run.failure(1)
        .stderr_has("`location.cty` is not a member field")
        .stderr_has("map.yaml:2:")
        .stderr_has("did you mean `location.city`?");
    assert!(snapshot_tree(&site.root()) == before);
}

#[test]
fn a_sheet_without_a_name_column_or_unreadable_writes_nothing() {
    let site = SiteTest::base();
    let before = snapshot_tree(&site.root());
    let sheet = site.dir.path().join("list.csv");
    std::fs::write(&sheet, "Ort;PLZ\nBasel;4051\n").unwrap();
    import(&site, &sheet, &[])
        .failure(2)
        .stderr_has("no column of")
        .stderr_has("holds the members' names");
    let broken = site.dir.path().join("broken.xlsx");
    std::fs::write(&broken, b"not a workbook").unwrap();
    import(&site, &broken, &[])
        .failure(2)
        .stderr_has("cannot read")
        .stderr_has("nothing was imported");
    import(&site, &site.dir.path().join("absent.csv"), &[]).failure(2);
    assert!(snapshot_tree(&site.root()) == before);
}

/// Numbers come out of Excel as `12.0`, postcodes as numbers, years as dates.
#[test]
fn an_xlsx_with_numeric_cells_and_date_years_imports_clean_values() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let site = SiteTest::base();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (c, h) in [
        "Firma",
        "Mitarbeiter",
        "PLZ",
        "Gründungsjahr",
        "Mitglied seit",
        "Lat",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Zahlen GmbH").unwrap();
    sheet.write_number(1, 1, 12.0).unwrap();
    sheet.write_number(1, 2, 79539.0).unwrap();
    let founded = ExcelDateTime::from_ymd(1987, 1, 1).unwrap();
    sheet
        .write_datetime_with_format(1, 3, &founded, &date)
        .unwrap();
    // A year typed into a cell formatted as a date.
    sheet.write_number_with_format(1, 4, 2016.0, &date).unwrap();
    sheet.write_number(1, 5, 47.5).unwrap();
    let file = site.dir.path().join("zahlen.xlsx");
    book.save(&file).unwrap();
    let run = import(&site, &file, &[]);
    run.success();
    assert_eq!(
        read(&site, "content/members/zahlen-gmbh.md"),
        "---\nname: Zahlen GmbH\nlocation:\n  postcode: \"79539\"\n  lat: 47.5\nemployees: 12\nfounded: 1987\nmembership:\n  since: 2016\n---\n"
    );
    site.check().success();
}

/// The site's own export, imported back, changes nothing (issue 22).
#[test]
fn importing_the_example_sites_csv_and_xlsx_exports_changes_nothing() {
    let site = example();
    site.build().success();
    std::fs::rename(site.public(), site.dir.path().join("export")).unwrap();
    let before = snapshot_tree(&site.root());
    for name in ["members.csv", "members.xlsx"] {
        let file = site.dir.path().join("export").join(name);
        for extra in [&["--dry-run"][..], &[]] {
            let run = import(&site, &file, extra);
            run.success();
            assert_eq!(
                lines(&run, &format!("{name}: ")),
                [format!(
                    "{name}: 33 rows: 0 created, 0 updated, 33 unchanged, 0 rejected"
                )],
                "{}",
                run.stdout
            );
            assert!(!run.stdout.contains("not in the sheet"), "{}", run.stdout);
            assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        }
    }
    assert!(
        snapshot_tree(&site.root()) == before,
        "the import changed files"
    );
}

/// A summary column in another language goes into the member's translation file.
#[test]
fn a_summary_in_another_language_goes_into_the_translation_file() {
    let site = example();
    let sheet = site.dir.path().join("members.csv");
    std::fs::write(
        &sheet,
        "name,summary_en,summary_fr\nBaar Werkzeug- und Formenbau GmbH,Builds moulds.,Construit des moules.\n",
    )
    .unwrap();
    let run = import(&site, &sheet, &[]);
    run.success();
    let en = read(&site, "content/members/baar-formenbau.en.md");
    assert!(
        en.starts_with("---\nsummary: Builds moulds.\n---\n\nBaar Werkzeug"),
        "{en}"
    );
    assert_eq!(
        read(&site, "content/members/baar-formenbau.fr.md"),
        "---\nsummary: Construit des moules.\n---\n"
    );
    site.check().success();
}

/// 500 generated rows: every one created, then every one unchanged.
#[test]
fn five_hundred_rows_import_and_reimport_unchanged() {
    let site = SiteTest::base();
    let mut csv =
        String::from("\u{feff}Firma;Ort;Land;Branchen;Mitarbeiter;Gründungsjahr;E-Mail\n");
    for i in 0..500 {
        csv.push_str(&format!(
            "Firma {i} GmbH;Ort {};DE;\"Sektor {}; Sektor {}\";{};{};info{i}@firma.example\n",
            i % 37,
            i % 11,
            i % 7,
            i % 300 + 1,
            1950 + i % 70
        ));
    }
    let file = site.dir.path().join("many.csv");
    std::fs::write(&file, csv).unwrap();
    let run = import(&site, &file, &[]);
    assert_eq!(
        lines(&run, "many.csv: "),
        ["many.csv: 500 rows: 500 created, 0 updated, 0 unchanged, 0 rejected"]
    );
    let again = import(&site, &file, &[]);
    assert_eq!(
        lines(&again, "many.csv: "),
        ["many.csv: 500 rows: 0 created, 0 updated, 500 unchanged, 0 rejected"]
    );
    site.check().success();
}
