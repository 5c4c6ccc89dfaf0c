from mall.templating import compile_templates


def test_every_template_compiles(app):
    # the gunicorn master compiles them all before forking; a syntax error fails here first
    assert compile_templates(app) >= 50
