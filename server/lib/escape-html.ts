// The one HTML/XML text escaper: Handlebars' own, so text escaped in code and text a template escapes read the same.
// It escapes & < > " ' ` = (the last three as numeric references), which is valid in HTML, SVG and XML alike.
import Handlebars from 'handlebars';

export const escapeHtml = (s: string): string => Handlebars.escapeExpression(s);
