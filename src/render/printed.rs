//! Which PDFs a site will have: the brochure pages that `build` prints once they are written
//! (see `crate::pdf`). Known before rendering, so that pages can link to the PDFs and the link
//! check counts them as files of the site.

use crate::model::Site;
use crate::url::paths;

/// One brochure page and the PDF made of it: site paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    pub page: String,
    pub pdf: String,
}

/// The brochure pages of `site` and where their PDFs go: `brochure/brochure.pdf`,
/// `catalogues/x/brochure/x.pdf`, `members/x/factsheet/x.pdf`.
pub fn planned(site: &Site) -> Vec<Printed> {
    let b = &site.config.brochures;
    if !b.enabled || !b.pdf || site.members.is_empty() {
        return Vec::new();
    }
    let mut list = vec![Printed {
        page: paths::brochure(),
        pdf: format!("{}brochure.pdf", paths::brochure()),
    }];
    for slug in site.catalogues.keys() {
        let page = paths::catalogue_brochure(slug);
        list.push(Printed {
            pdf: format!("{page}{slug}.pdf"),
            page,
        });
    }
    for slug in site.members.keys() {
        let page = paths::factsheet(slug);
        list.push(Printed {
            pdf: format!("{page}{slug}.pdf"),
            page,
        });
    }
    list
}
