from leerkring import create_app

app = create_app()
