// Element ids shared by the apartment list and its editor (focus moves between them).
export const editButtonId = (apartmentId: number) => `apartment-${apartmentId}-edit`;
export const editorId = (apartmentId: number) => `apartment-${apartmentId}-editor`;
